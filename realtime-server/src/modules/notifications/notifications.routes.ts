import { Router } from 'express';
import { actorOf, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { ConsentBody, MarkReadBody, NoQuery, NotificationsQuery } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

const PAGE = 50;

export function notificationsRoutes(notifications: NotificationsService): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    const q = parse(NotificationsQuery, req.query, 'query');
    res.json(await notifications.list(actorOf(res), q));
  });
  r.put('/notifications/read', async (req, res) => {
    const { ids } = parse(MarkReadBody, req.body ?? {}, 'mark read');
    res.json(await notifications.markRead(actorOf(res), ids, PAGE, idempotencyOf(req, { ids })));
  });
  r.get('/notifications/subscriptions', async (req, res) => {
    parse(NoQuery, req.query, 'query');
    res.json(await notifications.subscriptionStatus(actorOf(res)));
  });
  r.post('/notifications/subscriptions', async (req, res) => {
    const input = parse(ConsentBody, req.body, 'subscription consent');
    res.json(await notifications.recordConsent(actorOf(res), input, idempotencyOf(req, input)));
  });
  return r;
}
