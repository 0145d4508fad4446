import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opportunity, PipelineResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

// The move runs as one statement (no include query); its answer and its event must still be the
// exact deal everyone else reads back.
let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let mia: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode();
  [ray, mia] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'mia')]);
});
afterAll(() => node.stop());

const pipeline = async () => (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;

async function move(deal: Opportunity, stageId: number): Promise<Opportunity> {
  const res = await ray.send<{ opportunity: Opportunity }>('PUT', `/api/crm/opportunities/${deal.id}/move`, {
    stageId,
    version: deal.version,
  });
  expect(res.status).toBe(200);
  return res.body.opportunity;
}

describe('the move answer', () => {
  it('is the deal as GET reads it back, through won (closed) and back to open', async () => {
    const p = await pipeline();
    const won = p.stages.find((s) => s.outcome === 'won')!;
    const open = p.stages.find((s) => s.outcome === 'open')!;
    let deal = p.opportunities.find((o) => o.stageId !== won.id && o.ownerId !== null)!;
    for (const stage of [won, open]) {
      deal = await move(deal, stage.id);
      const read = await ray.get<{ opportunity: Opportunity }>(`/api/crm/opportunities/${deal.id}`);
      expect(deal).toEqual(read.body.opportunity);
      expect(deal.closedAt === null).toBe(stage.outcome === 'open');
      expect(deal.customerName).not.toBe('');
    }
  });

  it('puts the old and new stage in the team event', async () => {
    const p = await pipeline();
    const deal = p.opportunities[4]!;
    const to = p.stages.find((s) => s.id !== deal.stageId && s.outcome === 'open')!;
    const moved = await move(deal, to.id);
    const feed = await mia.get<{ events: Array<{ type: string; data: unknown }> }>('/api/crm/team/feed?limit=1');
    expect(feed.body.events[0]).toMatchObject({
      type: 'opportunity:moved',
      data: { opportunity: moved, fromStageId: deal.stageId, toStageId: to.id },
    });
  });

  it('still says 404, then 400, then 409 when it cannot move', async () => {
    const p = await pipeline();
    const deal = p.opportunities[5]!;
    const stage = p.stages.find((s) => s.id !== deal.stageId)!;
    const missing = await ray.send('PUT', '/api/crm/opportunities/999999/move', { stageId: 999999, version: 1 });
    expect(missing.status).toBe(404);
    const badStage = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: 999999, version: 1 });
    expect(badStage.status).toBe(400);
    const stale = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: stage.id, version: deal.version + 7 });
    expect(stale.status).toBe(409);
  });

  it('carries a close date through, as GET reads it back', async () => {
    const p = await pipeline();
    const created = await ray.send<{ opportunity: Opportunity }>('POST', '/api/crm/opportunities', {
      customerId: p.opportunities[0]!.customerId,
      title: 'Renewal 2027',
      valueCents: 1_234_567_890_123,
      expectedCloseDate: '2027-03-31',
    });
    const to = p.stages.find((s) => s.id !== created.body.opportunity.stageId && s.outcome === 'open')!;
    const moved = await move(created.body.opportunity, to.id);
    const read = await ray.get<{ opportunity: Opportunity }>(`/api/crm/opportunities/${moved.id}`);
    expect(moved).toEqual(read.body.opportunity);
    expect(moved).toMatchObject({ expectedCloseDate: '2027-03-31', valueCents: 1_234_567_890_123 });
  });

  it('refuses an Idempotency-Key reused for another deal with 409 and leaves that deal alone', async () => {
    const p = await pipeline();
    const [a, b] = [p.opportunities[6]!, p.opportunities[7]!];
    const to = (d: Opportunity) => p.stages.find((s) => s.id !== d.stageId && s.outcome === 'open')!.id;
    const key = { 'Idempotency-Key': `reuse-${Date.now()}` };
    const first = await ray.send('PUT', `/api/crm/opportunities/${a.id}/move`, { stageId: to(a), version: a.version }, key);
    expect(first.status).toBe(200);
    const reused = await ray.send('PUT', `/api/crm/opportunities/${b.id}/move`, { stageId: to(b), version: b.version }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/different request/);
    const read = await ray.get<{ opportunity: Opportunity }>(`/api/crm/opportunities/${b.id}`);
    expect(read.body.opportunity).toEqual(b);
  });

  it('answers a repeated Idempotency-Key with the first answer once the deal has moved on', async () => {
    const p = await pipeline();
    const deal = p.opportunities[8]!;
    const to = p.stages.find((s) => s.id !== deal.stageId && s.outcome === 'open')!;
    const key = { 'Idempotency-Key': `again-${Date.now()}` };
    const body = { stageId: to.id, version: deal.version };
    const first = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, body, key);
    await move(first.body.opportunity, deal.stageId);
    const again = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, body, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });
});
