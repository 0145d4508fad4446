import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { idempotencyRef } from '../../core/mutation.js';
import { MoveBody, OpportunityCreate, OpportunityPatch, PipelineQuery, moveCommand } from './pipeline.schemas.js';
import type { PipelineService } from './pipeline.service.js';
import { OwnerBody } from '../customers/customer.schemas.js';

export function pipelineRoutes(pipeline: PipelineService): Router {
  const r = Router();
  r.get('/pipeline', async (req, res) => {
    const { teamId } = parse(PipelineQuery, req.query, 'query');
    res.json(await pipeline.getPipeline(actorOf(res), teamId));
  });
  r.post('/opportunities', async (req, res) => {
    const input = parse(OpportunityCreate, req.body, 'opportunity');
    const opportunity = await pipeline.create(actorOf(res), input, idempotencyOf(req, input));
    res.status(201).json({ opportunity });
  });
  r.get('/opportunities/:id', async (req, res) => {
    res.json({ opportunity: await pipeline.get(actorOf(res), idParam(req)) });
  });
  r.patch('/opportunities/:id', async (req, res) => {
    const patch = parse(OpportunityPatch, req.body, 'opportunity');
    res.json({ opportunity: await pipeline.update(actorOf(res), idParam(req), patch, idempotencyOf(req, patch)) });
  });
  r.put('/opportunities/:id/move', async (req, res) => {
    const move = { ...parse(MoveBody, req.body, 'move'), id: idParam(req) };
    res.json(await pipeline.move(actorOf(res), move, idempotencyRef(req.get('Idempotency-Key'), moveCommand(move))));
  });
  r.put('/opportunities/:id/owner', async (req, res) => {
    const { ownerId } = parse(OwnerBody, req.body, 'owner');
    res.json({ opportunity: await pipeline.reassign(actorOf(res), idParam(req), ownerId, idempotencyOf(req, { ownerId })) });
  });
  return r;
}
