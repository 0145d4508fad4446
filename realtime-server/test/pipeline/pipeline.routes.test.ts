import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivitiesResponse, PipelineResponse } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let rita: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode();
  [ray, rita] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'rita')]);
});
afterAll(() => node.stop());

const pipeline = async (who = ray) => (await who.get<PipelineResponse>('/api/crm/pipeline')).body;

describe('GET /api/crm/pipeline', () => {
  it('answers the team stages in order and weighted value over open deals', async () => {
    const p = await pipeline();
    expect(p.stages.map((s) => `${s.name} ${s.probability}%`)).toEqual([
      'Lead 10%',
      'Qualified 25%',
      'Proposal 50%',
      'Negotiation 75%',
      'Won 100%',
      'Lost 0%',
    ]);
    expect(p.opportunities).toHaveLength(12);
    const prob = new Map(p.stages.filter((s) => s.outcome === 'open').map((s) => [s.id, s.probability]));
    const open = p.opportunities.filter((o) => prob.has(o.stageId));
    expect(p.totalValue).toBe(open.reduce((sum, o) => sum + o.valueCents, 0));
    expect(p.weightedValue).toBe(Math.round(open.reduce((sum, o) => sum + o.valueCents * prob.get(o.stageId)!, 0) / 100));
  });

  it('keys the default stages so each phone names them in its language', async () => {
    const p = await pipeline();
    expect(p.stages.map((s) => s.key)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
  });

  it('refuses a missing or forged token with 401', async () => {
    expect((await http(node.url, 'GET', '/api/crm/pipeline')).status).toBe(401);
    const forged = `${ray.token.slice(0, -4)}AAAA`;
    const res = await http(node.url, 'GET', '/api/crm/pipeline', { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses an alg:none token', async () => {
    const [, payload] = ray.token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect((await http(node.url, 'GET', '/api/crm/pipeline', { token: none })).status).toBe(401);
  });

  it('ignores a teamId from a rep and shows only their own team', async () => {
    const olga = await signIn(node.url, 'olga');
    const mine = await pipeline();
    const res = await ray.get<PipelineResponse>(`/api/crm/pipeline?teamId=${olga.user.teamId}`);
    expect(res.body.stages.every((s) => s.teamId === ray.user.teamId)).toBe(true);
    expect(res.body.opportunities.map((o) => o.id)).toEqual(mine.opportunities.map((o) => o.id));
  });
});

describe('PUT /api/crm/opportunities/:id/move', () => {
  it("writes a stage-change activity on the deal's customer with both stages as params, not text", async () => {
    const p = await pipeline();
    const [lead, qualified] = p.stages;
    const deal = p.opportunities.find((o) => o.stageId === lead!.id)!;
    expect(
      (await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: qualified!.id, version: deal.version })).status,
    ).toBe(200);
    const { activities } = (await ray.get<ActivitiesResponse>(`/api/crm/customers/${deal.customerId}/activities?limit=5`)).body;
    expect(activities[0]).toMatchObject({
      type: 'stage-change',
      opportunityId: deal.id,
      actorId: ray.user.id,
      content: '',
      params: {
        title: deal.title,
        from: { id: lead!.id, key: 'lead', name: 'Lead' },
        to: { id: qualified!.id, key: 'qualified', name: 'Qualified' },
      },
    });
  });

  it('moves a deal and bumps its version', async () => {
    const p = await pipeline();
    const deal = p.opportunities.find((o) => o.stageId === p.stages[0]!.id)!;
    const res = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[2]!.id, version: deal.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, opportunity: { id: deal.id, stageId: p.stages[2]!.id, version: deal.version + 1 } });
  });

  it('answers a stale version with 409 and the fresh record', async () => {
    const p = await pipeline();
    const deal = p.opportunities[1]!;
    await rita.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[3]!.id, version: deal.version });
    const res = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[1]!.id, version: deal.version });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.current).toMatchObject({ id: deal.id, stageId: p.stages[3]!.id, version: deal.version + 1 });
  });

  it('lets exactly one of many simultaneous moves at one version win', async () => {
    const p = await pipeline();
    const deal = p.opportunities[2]!;
    const results = await Promise.all(
      p.stages
        .slice(0, 5)
        .flatMap((s) =>
          [ray, rita].map((who) => who.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: s.id, version: deal.version })),
        ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(results.length - 1);
    const after = (await ray.get(`/api/crm/opportunities/${deal.id}`)).body.opportunity;
    expect(after.version).toBe(deal.version + 1);
  });

  it("answers 404 for another tenant's deal and moves nothing", async () => {
    const olga = await signIn(node.url, 'olga');
    const theirs = (await pipeline(olga)).opportunities[0]!;
    const res = await ray.send('PUT', `/api/crm/opportunities/${theirs.id}/move`, { stageId: theirs.stageId, version: theirs.version });
    expect(res.status).toBe(404);
    expect((await olga.get(`/api/crm/opportunities/${theirs.id}`)).body.opportunity.version).toBe(theirs.version);
  });

  it('rejects a bad body with 400 naming the field, and malformed JSON with 400', async () => {
    const deal = (await pipeline()).opportunities[3]!;
    const bad = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: 'two', version: deal.version });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('stageId');
    const raw = await http(node.url, 'PUT', `/api/crm/opportunities/${deal.id}/move`, { token: ray.token, raw: '{"stageId":' });
    expect(raw.status).toBe(400);
  });

  it('refuses a stage of another team with 400', async () => {
    const olga = await signIn(node.url, 'olga');
    const foreignStage = (await pipeline(olga)).stages[1]!;
    const deal = (await pipeline()).opportunities[4]!;
    const res = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: foreignStage.id, version: deal.version });
    expect(res.status).toBe(400);
  });
});

describe('opportunity create and update', () => {
  it('creates a deal in the first stage owned by the caller, ignoring a teamId in the body', async () => {
    const p = await pipeline();
    const customerId = p.opportunities[0]!.customerId;
    const res = await ray.send('POST', '/api/crm/opportunities', {
      customerId,
      title: '新年订单',
      valueCents: 1_234_500,
      teamId: 999,
      ownerId: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body.opportunity).toMatchObject({
      title: '新年订单',
      valueCents: 1_234_500,
      stageId: p.stages[0]!.id,
      ownerId: ray.user.id,
      teamId: ray.user.teamId,
    });
  });

  it('repeats an Idempotency-Key with one effect', async () => {
    const customerId = (await pipeline()).opportunities[0]!.customerId;
    const headers = { 'Idempotency-Key': 'create-deal-0001' };
    const body = { customerId, title: 'Retry me', valueCents: 100 };
    const [a, b] = [
      await ray.send('POST', '/api/crm/opportunities', body, headers),
      await ray.send('POST', '/api/crm/opportunities', body, headers),
    ];
    expect(b.body.opportunity.id).toBe(a.body.opportunity.id);
    expect((await pipeline()).opportunities.filter((o) => o.title === 'Retry me')).toHaveLength(1);
  });

  it('updates with version and 409s a stale edit', async () => {
    const deal = (await pipeline()).opportunities[5]!;
    const ok = await ray.send('PATCH', `/api/crm/opportunities/${deal.id}`, { title: 'Renamed', version: deal.version });
    expect(ok.body.opportunity).toMatchObject({ title: 'Renamed', version: deal.version + 1 });
    const stale = await rita.send('PATCH', `/api/crm/opportunities/${deal.id}`, { title: 'Mine', version: deal.version });
    expect(stale.status).toBe(409);
    expect(stale.body.current.title).toBe('Renamed');
  });
});

describe('PATCH from the mini program', () => {
  it('accepts POST with X-HTTP-Method-Override: PATCH, since wx.request cannot send PATCH', async () => {
    const deal = (await pipeline()).opportunities[6]!;
    const res = await ray.send(
      'POST',
      `/api/crm/opportunities/${deal.id}`,
      { title: 'Via override', version: deal.version },
      { 'X-HTTP-Method-Override': 'PATCH' },
    );
    expect(res.status).toBe(200);
    expect(res.body.opportunity).toMatchObject({ id: deal.id, title: 'Via override', version: deal.version + 1 });
  });

  it('overrides nothing but PATCH', async () => {
    const deal = (await pipeline()).opportunities[6]!;
    const res = await ray.send('POST', `/api/crm/opportunities/${deal.id}`, {}, { 'X-HTTP-Method-Override': 'DELETE' });
    expect(res.status).toBe(404);
  });
});
