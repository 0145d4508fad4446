import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { CustomerCreate, CustomerListQuery, CustomerPatch, NoteCreate, OwnerBody, ReleaseBody, TimelineQuery } from './customer.schemas.js';
import type { CustomerService } from './customer.service.js';

export function customerRoutes(customers: CustomerService): Router {
  const r = Router();
  r.get('/customers', async (req, res) => {
    res.json(await customers.list(actorOf(res), parse(CustomerListQuery, req.query, 'query')));
  });
  r.post('/customers', async (req, res) => {
    const input = parse(CustomerCreate, req.body, 'customer');
    res.status(201).json({ customer: await customers.create(actorOf(res), input, idempotencyOf(req, input)) });
  });
  r.get('/customers/:id', async (req, res) => {
    res.json({ customer: await customers.get(actorOf(res), idParam(req)) });
  });
  r.patch('/customers/:id', async (req, res) => {
    const patch = parse(CustomerPatch, req.body, 'customer');
    res.json({ customer: await customers.update(actorOf(res), idParam(req), patch, idempotencyOf(req, patch)) });
  });
  r.get('/customers/:id/notes', async (req, res) => {
    const { limit } = parse(TimelineQuery, req.query, 'query');
    res.json({ notes: await customers.listNotes(actorOf(res), idParam(req), limit) });
  });
  r.post('/customers/:id/notes', async (req, res) => {
    const { content } = parse(NoteCreate, req.body, 'note');
    res.status(201).json({ note: await customers.addNote(actorOf(res), idParam(req), content, idempotencyOf(req, { content })) });
  });
  r.post('/customers/:id/claim', async (req, res) => {
    const id = idParam(req);
    res.json({ customer: await customers.claim(actorOf(res), id, idempotencyOf(req, {})) });
  });
  r.post('/customers/:id/release', async (req, res) => {
    const { reason } = parse(ReleaseBody, req.body, 'release');
    res.json({ customer: await customers.release(actorOf(res), idParam(req), reason, idempotencyOf(req, { reason })) });
  });
  r.put('/customers/:id/owner', async (req, res) => {
    const { ownerId } = parse(OwnerBody, req.body, 'owner');
    res.json({ customer: await customers.reassign(actorOf(res), idParam(req), ownerId, idempotencyOf(req, { ownerId })) });
  });
  return r;
}
