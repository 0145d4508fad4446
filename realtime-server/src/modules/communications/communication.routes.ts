import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { TimelineQuery } from '../customers/customer.schemas.js';
import { CommunicationCreate, FollowUpCreate, MessageCreate } from './communication.schemas.js';
import type { CommunicationService } from './communication.service.js';

export function communicationRoutes(hub: CommunicationService): Router {
  const r = Router();
  r.post('/messages', async (req, res) => {
    const input = parse(MessageCreate, req.body, 'message');
    res.status(201).json(await hub.sendMessage(actorOf(res), input, idempotencyOf(req, input)));
  });
  r.post('/communications', async (req, res) => {
    const input = parse(CommunicationCreate, req.body, 'communication');
    res.status(201).json({ communication: await hub.logCommunication(actorOf(res), input, idempotencyOf(req, input)) });
  });
  r.post('/follow-ups', async (req, res) => {
    const input = parse(FollowUpCreate, req.body, 'follow-up');
    res.status(201).json(await hub.scheduleFollowUp(actorOf(res), input, idempotencyOf(req, input)));
  });

  // The customer page's timeline, newest first: each read is `{ [name]: rows }`.
  const timelines = { messages: hub.messages, communications: hub.communications };
  for (const [name, read] of Object.entries(timelines)) {
    r.get(`/customers/:id/${name}`, async (req, res) => {
      const { limit } = parse(TimelineQuery, req.query, 'query');
      res.json({ [name]: await read(actorOf(res), idParam(req), limit) });
    });
  }
  return r;
}
