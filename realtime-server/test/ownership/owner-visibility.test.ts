import { describe, expect, it } from 'vitest';
import type { CustomerListResponse, PipelineResponse, RedactedEvent, SyncResumeResult, TeamFeedResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { sleep } from '../notifications/until.js';

const nodes = useTwoNodes();
const { phone } = nodes;

describe("West (visibility 'owner'): a rep sees their own records and the pool", () => {
  it('lists, finds and opens only their own customers and pool ones; anything else is a 404', async () => {
    const will = await signIn(nodes.nodeA, 'will');
    const wendy = await signIn(nodes.nodeA, 'wendy');
    const { customer } = (await will.send('POST', '/api/crm/customers', { name: 'WILLSECRET 客户' })).body;
    const list = (await wendy.get<CustomerListResponse>('/api/crm/customers?limit=100')).body;
    expect(list.customers.every((c) => c.ownerId === wendy.user.id || c.ownerId === null)).toBe(true);
    expect(list.customers.some((c) => c.ownerId === null)).toBe(true);
    expect(list.total).toBe(list.customers.length);
    const found = (who: typeof will) => who.get<CustomerListResponse>('/api/crm/customers?keyword=WILLSECRET').then((r) => r.body);
    expect(await found(wendy)).toMatchObject({ total: 0, customers: [] });
    expect((await found(will)).customers.map((c) => c.id)).toEqual([customer.id]);
    for (const path of ['', '/notes', '/activities', '/messages', '/communications']) {
      expect((await wendy.get(`/api/crm/customers/${customer.id}${path}`)).status, path).toBe(404);
    }
    expect((await wendy.send('POST', `/api/crm/customers/${customer.id}/notes`, { content: 'x' })).status).toBe(404);
    expect((await wendy.send('POST', '/api/crm/activities', { customerId: customer.id, type: 'call', content: 'x' })).status).toBe(404);
    const pipeline = (await wendy.get<PipelineResponse>('/api/crm/pipeline')).body;
    expect(pipeline.opportunities.every((o) => o.ownerId === wendy.user.id)).toBe(true);
    // The manager sees the whole team.
    const wes = await signIn(nodes.nodeA, 'wes');
    expect((await wes.get(`/api/crm/customers/${customer.id}`)).status).toBe(200);
    expect((await wes.get<PipelineResponse>('/api/crm/pipeline')).body.opportunities.some((o) => o.ownerId === will.user.id)).toBe(true);
  });

  it('cannot move, edit or reach a teammate’s deal or task', async () => {
    const will = await signIn(nodes.nodeA, 'will');
    const wendy = await signIn(nodes.nodeB, 'wendy');
    const { customer } = (await will.send('POST', '/api/crm/customers', { name: 'Will only' })).body;
    const { opportunity } = (
      await will.send('POST', '/api/crm/opportunities', { customerId: customer.id, title: 'Will deal', valueCents: 100 })
    ).body;
    const stages = (await will.get<PipelineResponse>('/api/crm/pipeline')).body.stages;
    const move = await wendy.send('PUT', `/api/crm/opportunities/${opportunity.id}/move`, {
      stageId: stages[1]!.id,
      version: opportunity.version,
    });
    expect(move.status).toBe(404);
    expect(
      (await wendy.send('PATCH', `/api/crm/opportunities/${opportunity.id}`, { title: 'x', version: opportunity.version })).status,
    ).toBe(404);
    const { task } = (await will.send('POST', '/api/crm/tasks', { title: 'Will task', customerId: customer.id })).body;
    expect((await wendy.get(`/api/crm/tasks/${task.id}`)).status).toBe(404);
    expect((await wendy.get('/api/crm/tasks?view=all')).body.tasks.some((t: { id: number }) => t.id === task.id)).toBe(false);
    expect((await nodes.cluster.db.models.Opportunity.findByPk(opportunity.id))!.version).toBe(opportunity.version);
  });

  it('gets event:redacted live (seq only) for a teammate’s records and the envelope for its own, gap-free across nodes', async () => {
    const will = await signIn(nodes.nodeA, 'will');
    const wendy = await phone(nodes.nodeB, 'wendy');
    const wes = await phone(nodes.nodeB, 'wes');
    const seenByWes = wes.client.next('customer:created');
    await will.send('POST', '/api/crm/customers', { name: 'WILLLIVE 客户', phone: '13955550001' });
    const full = await seenByWes;
    await sleep(300);
    const redacted = wendy.client.received('event:redacted') as RedactedEvent[];
    const mine = redacted.find((r) => r.seq === full.seq)!;
    expect(mine).toEqual({ seq: full.seq, eventId: full.eventId, teamId: full.teamId, type: 'redacted', at: full.at });
    expect(JSON.stringify(wendy.client.received('customer:created'))).not.toContain('WILLLIVE');
    // Her own record arrives in full.
    const own = wendy.client.next('customer:created');
    await wendy.send('POST', '/api/crm/customers', { name: 'WENDYLIVE 客户' });
    expect((await own).data.customer.name).toBe('WENDYLIVE 客户');
  });

  it('replays the stream with the same redactions in sync:resume, and leaves them out of the feed', async () => {
    const will = await signIn(nodes.nodeA, 'will');
    const wendy = await phone(nodes.nodeA, 'wendy');
    const head = (await nodes.cluster.db.models.Team.findByPk(will.user.teamId!))!.lastSeq;
    await will.send('POST', '/api/crm/customers', { name: 'WILLREPLAY 客户' });
    await wendy.send('POST', '/api/crm/customers', { name: 'WENDYREPLAY 客户' });
    const ack = await wendy.client.command('sync:resume', { lastSeq: { [String(will.user.teamId)]: head } });
    expect(ack.ok).toBe(true);
    const { events } = (ack as { data: SyncResumeResult }).data;
    expect(events.map((e) => e.seq)).toEqual([head + 1, head + 2]);
    expect(events[0]).toMatchObject({ type: 'redacted', seq: head + 1 });
    expect(Object.keys(events[0]!).sort()).toEqual(['at', 'eventId', 'seq', 'teamId', 'type']);
    expect(events[1]).toMatchObject({ type: 'customer:created', data: { customer: { name: 'WENDYREPLAY 客户' } } });
    const feed = (await wendy.get<TeamFeedResponse>('/api/crm/team/feed?limit=50')).body;
    expect(JSON.stringify(feed)).not.toContain('WILLREPLAY');
    expect(JSON.stringify(feed)).toContain('WENDYREPLAY');
  });
});
