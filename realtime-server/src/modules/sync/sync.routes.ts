import { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import type { SyncService } from './sync.service.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);

const FeedQuery = z
  .object({
    before: id.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(30),
    teamId: id.optional(),
  })
  .strict();

export function syncRoutes(sync: SyncService): Router {
  const r = Router();
  r.get('/team/feed', async (req, res) => {
    const q = parse(FeedQuery, req.query, 'query');
    res.json(await sync.feed(actorOf(res), q));
  });
  return r;
}
