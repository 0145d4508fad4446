import { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import type { SyncService } from './sync.service.js';

const FeedQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  teamId: z.coerce.number().int().positive().optional(),
}).strict();

export function syncRoutes(sync: SyncService): Router {
  const r = Router();
  r.get('/team/feed', async (req, res) => {
    const q = parse(FeedQuery, req.query, 'query');
    res.json({ events: await sync.feed(actorOf(res), q) });
  });
  return r;
}
