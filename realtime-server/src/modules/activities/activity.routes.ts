import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { TimelineQuery } from '../customers/customer.schemas.js';
import { ActivityCreate, VisitsQuery } from './activity.schemas.js';
import type { ActivityService } from './activity.service.js';

export function activityRoutes(activities: ActivityService): Router {
  const r = Router();
  r.post('/activities', async (req, res) => {
    const input = parse(ActivityCreate, req.body, 'activity');
    res.status(201).json(await activities.log(actorOf(res), input, idempotencyOf(req, input)));
  });
  r.get('/customers/:id/activities', async (req, res) => {
    const { limit } = parse(TimelineQuery, req.query, 'query');
    res.json({ activities: await activities.timeline(actorOf(res), idParam(req), limit) });
  });
  r.get('/visits', async (req, res) => {
    res.json(await activities.visits(actorOf(res), parse(VisitsQuery, req.query, 'query')));
  });
  return r;
}
