import { Router } from 'express';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import type { InvitationsService } from './invitations.service.js';
import { DeactivateBody, InvitationCreate, JoinBody, TeamQuery } from './members.schemas.js';
import type { MembersService } from './members.service.js';

/** Behind the bearer token: invitations and the members list (ARCHITECTURE 9.1). */
export function membersRoutes(members: MembersService, invitations: InvitationsService): Router {
  const r = Router();
  r.post('/invitations', async (req, res) => {
    const input = parse(InvitationCreate, req.body, 'invitation');
    res.status(201).json(await invitations.create(actorOf(res), input, idempotencyOf(req, input)));
  });
  r.get('/invitations', async (req, res) => {
    const { teamId } = parse(TeamQuery, req.query, 'query');
    res.json({ invitations: await invitations.list(actorOf(res), teamId) });
  });
  r.delete('/invitations/:id', async (req, res) => {
    res.json({ invitation: await invitations.revoke(actorOf(res), idParam(req), idempotencyOf(req, {})) });
  });
  r.get('/members', async (req, res) => {
    const { teamId } = parse(TeamQuery, req.query, 'query');
    res.json(await members.list(actorOf(res), teamId));
  });
  r.post('/members/:id/deactivate', async (req, res) => {
    const { handoverTo } = parse(DeactivateBody, req.body, 'deactivation');
    res.json(await members.deactivate(actorOf(res), idParam(req), handoverTo, idempotencyOf(req, { handoverTo })));
  });
  return r;
}

/** Public: join a team with an invitation's code and a wx.login code. */
export function joinRoutes(invitations: InvitationsService): Router {
  const r = Router();
  r.post('/join', async (req, res) => {
    const { status, body } = await invitations.join(parse(JoinBody, req.body, 'join'));
    res.status(status).json(body);
  });
  return r;
}
