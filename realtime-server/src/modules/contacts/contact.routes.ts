import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { ContactCreate, ContactPatch } from './contact.schemas.js';
import type { ContactService } from './contact.service.js';

export function contactRoutes(contacts: ContactService): Router {
  const r = Router();
  r.get('/customers/:id/contacts', async (req, res) => {
    res.json({ contacts: await contacts.list(actorOf(res), idParam(req)) });
  });
  r.post('/customers/:id/contacts', async (req, res) => {
    const input = parse(ContactCreate, req.body, 'contact');
    res.status(201).json({ contact: await contacts.create(actorOf(res), idParam(req), input, idempotencyOf(req, input)) });
  });
  r.patch('/contacts/:id', async (req, res) => {
    const patch = parse(ContactPatch, req.body, 'contact');
    res.json({ contact: await contacts.update(actorOf(res), idParam(req), patch, idempotencyOf(req, patch)) });
  });
  return r;
}
