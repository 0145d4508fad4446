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
  const res = await ray.send<{ opportunity: Opportunity }>('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId, version: deal.version });
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
    expect(feed.body.events[0]).toMatchObject({ type: 'opportunity:moved', data: { opportunity: moved, fromStageId: deal.stageId, toStageId: to.id } });
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
});
