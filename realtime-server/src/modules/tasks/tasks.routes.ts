import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { AssignBody, TaskCreate, TaskListQuery, TaskUpdate } from './tasks.schemas.js';
import type { TasksService } from './tasks.service.js';

export function tasksRoutes(tasks: TasksService): Router {
  const r = Router();
  r.get('/tasks', async (req, res) => {
    const q = parse(TaskListQuery, req.query, 'query');
    res.json({ tasks: await tasks.list(actorOf(res), q) });
  });
  r.post('/tasks', async (req, res) => {
    const input = parse(TaskCreate, req.body, 'task');
    res.status(201).json(await tasks.create(actorOf(res), input, idempotencyOf(req, input)));
  });
  r.get('/tasks/:id', async (req, res) => {
    res.json({ task: await tasks.get(actorOf(res), idParam(req)) });
  });
  r.put('/tasks/:id', async (req, res) => {
    const patch = parse(TaskUpdate, req.body, 'task');
    res.json(await tasks.update(actorOf(res), idParam(req), patch, idempotencyOf(req, patch)));
  });
  r.put('/tasks/:id/assign', async (req, res) => {
    const { assigneeId } = parse(AssignBody, req.body, 'assignment');
    res.json(await tasks.assign(actorOf(res), idParam(req), assigneeId, idempotencyOf(req, { assigneeId })));
  });
  return r;
}
