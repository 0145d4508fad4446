import { Router } from 'express';
import { actorOf, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { LeaderboardQuery, TargetBody } from './targets.schemas.js';
import type { TargetsService } from './targets.service.js';

export function targetsRoutes(targets: TargetsService): Router {
  const r = Router();
  r.put('/targets', async (req, res) => {
    const input = parse(TargetBody, req.body, 'target');
    res.json({ target: await targets.set(actorOf(res), input, idempotencyOf(req, input)) });
  });
  r.get('/analytics/leaderboard', async (req, res) => {
    res.json(await targets.leaderboard(actorOf(res), parse(LeaderboardQuery, req.query, 'query')));
  });
  return r;
}
