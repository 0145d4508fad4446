import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTeamEvent, PipelineResponse, TeamFeedResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { signInAll, type Session } from '../tasks/sessions.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let mia: Session;
let ray: Session;
let rita: Session;
let will: Session;

beforeAll(async () => {
  node = await startTestNode();
  [mia, ray, rita, will] = await signInAll(node.url, ['mia', 'ray', 'rita', 'will']);
});
afterAll(() => node.stop());

const feed = async (who: Session, query = '') => {
  const res = await who.get<TeamFeedResponse>(`/api/crm/team/feed${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.events;
};

describe('GET /api/crm/team/feed', () => {
  it('tells who did what, when, to which task, customer or deal, newest first', async () => {
    const p = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
    const deal = p.opportunities[0]!;
    const created = (await mia.send('POST', '/api/crm/tasks', { title: '签约准备', assigneeId: rita.user.id, customerId: deal.customerId }))
      .body.task;
    await mia.send('PUT', `/api/crm/tasks/${created.id}/assign`, { assigneeId: ray.user.id });
    await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[2]!.id, version: deal.version });
    await ray.send('PUT', '/api/crm/notifications/read', {}); // a personal change: not team history

    const [moved, assigned, made] = await feed(rita, '?limit=3');
    expect(moved).toMatchObject({
      type: 'opportunity:moved',
      actorId: ray.user.id,
      data: { opportunity: { id: deal.id, customerName: deal.customerName }, toStageId: p.stages[2]!.id },
    });
    expect(assigned).toMatchObject({
      type: 'task:assigned',
      actorId: mia.user.id,
      data: { previousAssigneeId: rita.user.id, task: { id: created.id, assigneeId: ray.user.id } },
    });
    expect(made).toMatchObject({
      type: 'task:created',
      actorId: mia.user.id,
      data: { task: { id: created.id, customerId: deal.customerId } },
    });
    expect([moved, assigned, made].map((e) => e!.seq)).toEqual([made!.seq + 2, made!.seq + 1, made!.seq]);
    expect(Date.parse(moved!.at)).toBeGreaterThanOrEqual(Date.parse(made!.at));
  });

  it('pages back with before=<seq> without gaps or repeats', async () => {
    const seen: AnyTeamEvent[] = [];
    let page = await feed(ray, '?limit=2');
    while (page.length > 0) {
      seen.push(...page);
      page = await feed(ray, `?limit=2&before=${page.at(-1)!.seq}`);
    }
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! - i));
    expect(seqs.at(-1)).toBe(1);
  });

  it('shows each team only its own history; an admin picks a team of their tenant', async () => {
    const west = await feed(will);
    expect(west.every((e) => e.teamId === will.user.teamId)).toBe(true);
    expect(west.some((e) => e.type === 'task:assigned')).toBe(false);
    const rayAsksWest = await feed(ray, `?teamId=${will.user.teamId}`);
    expect(rayAsksWest.every((e) => e.teamId === ray.user.teamId)).toBe(true);
    const ada = await signIn(node.url, 'ada');
    expect((await feed(ada, `?teamId=${ray.user.teamId}&limit=1`))[0]!.type).toBe('opportunity:moved');
    // The answer names the team shown, so a page can follow it live: the one asked for, an
    // admin's first team when none is, and always a member's own.
    expect((await ada.get<TeamFeedResponse>(`/api/crm/team/feed?teamId=${will.user.teamId}`)).body.teamId).toBe(will.user.teamId);
    const adasDefault = (await ada.get<TeamFeedResponse>('/api/crm/team/feed')).body;
    expect(adasDefault.events.every((e) => e.teamId === adasDefault.teamId)).toBe(true);
    expect([ray.user.teamId, will.user.teamId]).toContain(adasDefault.teamId);
    expect((await ray.get<TeamFeedResponse>(`/api/crm/team/feed?teamId=${will.user.teamId}`)).body.teamId).toBe(ray.user.teamId);
    const olga = await signIn(node.url, 'olga');
    expect((await ada.get(`/api/crm/team/feed?teamId=${olga.user.teamId}`)).status).toBe(404);
  });

  it('rejects operator objects and out-of-range limits with 400', async () => {
    for (const q of ['before[$lt]=3', 'limit=101', 'limit=0', 'before=abc', 'type=task:created']) {
      expect((await ray.get(`/api/crm/team/feed?${q}`)).status, q).toBe(400);
    }
  });
});
