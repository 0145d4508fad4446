import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { CustomerCreate, CustomerListQuery, CustomerPatch, NoteCreate, TimelineQuery } from './customer.schemas.js';
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
  return r;
}
