import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineAnalyticsResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { expectedOpenTotals, expectedRotting, expectedStages, expectedTransitions, type Move, type Touch } from './expected.js';
import { buildFixture, DAY, type ActivitySpec, type DealSpec, type Fixture, type StageName } from './fixture.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
type Session = Awaited<ReturnType<typeof signIn>>;
let rep1: Session;
let rep2: Session;
let admin: Session;
const now = Date.now();

const deal = (key: string, stage: StageName, valueCents: number, customer: string, ageDays: number): DealSpec => ({
  key,
  team: 'alpha',
  owner: 'fx_rep1',
  stage,
  valueCents,
  customer,
  createdAt: now - 90 * DAY,
  updatedAt: now - ageDays * DAY,
});

const deals: DealSpec[] = [
  deal('lead-a', 'Lead', 100_000, 'c1', 30),
  deal('lead-b', 'Lead', 50_000, 'c2', 30),
  deal('qual-a', 'Qualified', 80_000, 'c3', 20.5),
  deal('prop-a', 'Proposal', 200_000, 'c4', 3),
  deal('nego-a', 'Negotiation', 300_000, 'c5', 60),
  deal('lead-c', 'Lead', 7_777, 'c7', 15.5),
  { ...deal('won-a', 'Won', 500_000, 'c4', 70), closedAt: now - 70 * DAY },
  { ...deal('lost-a', 'Lost', 10_000, 'c4', 80), closedAt: now - 80 * DAY },
  deal('m1', 'Lead', 11_000, 'c8', 1),
  deal('m2', 'Lead', 12_000, 'c8', 1),
  deal('m3', 'Qualified', 13_000, 'c8', 1),
  deal('m4', 'Lead', 14_000, 'c8', 1),
  { ...deal('beta-lead', 'Lead', 44_000, 'b1', 40), team: 'beta', owner: 'fx_rep3' },
];
// c2 was called two days ago; nego-a was discussed yesterday under another customer; c3 last heard 16.5 days ago.
const activities: ActivitySpec[] = [
  { team: 'alpha', actor: 'fx_rep1', customer: 'c2', type: 'call', occurredAt: now - 2 * DAY },
  { team: 'alpha', actor: 'fx_rep1', customer: 'c6', opportunity: 'nego-a', type: 'meeting', occurredAt: now - DAY },
  { team: 'alpha', actor: 'fx_rep2', customer: 'c3', type: 'email', occurredAt: now - 16.5 * DAY },
];
const touches: Touch[] = activities.map((a) => ({
  customer: a.customer,
  at: a.occurredAt,
  ...(a.opportunity ? { opportunity: a.opportunity } : {}),
}));
const moves: Array<Move & { key: string; by: 'rep1' | 'rep2' }> = [
  { key: 'm1', from: 'Lead', to: 'Qualified', by: 'rep1' },
  { key: 'm1', from: 'Qualified', to: 'Proposal', by: 'rep1' },
  { key: 'm1', from: 'Proposal', to: 'Negotiation', by: 'rep1' },
  { key: 'm1', from: 'Negotiation', to: 'Won', by: 'rep1' },
  { key: 'm2', from: 'Lead', to: 'Lost', by: 'rep2' },
  { key: 'm3', from: 'Qualified', to: 'Lead', by: 'rep2' },
  { key: 'm4', from: 'Lead', to: 'Qualified', by: 'rep2' },
];
/** A move 40 days ago, already in the log: inside 90 days, outside 30. */
const oldMove: Move = { from: 'Lead', to: 'Qualified' };

beforeAll(async () => {
  // The event log keeps 60 days here (default 30), so the 40-day-old move below survives pruning.
  node = await startTestNode({ env: { EVENT_RETENTION_DAYS: '60' } });
  const customerKeys = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
  fx = await buildFixture(node.cluster.db, {
    deals,
    activities,
    tasks: [],
    customers: [
      ...customerKeys.map((key) => ({ key, team: 'alpha' as const, status: 'active' as const, createdAt: now - 100 * DAY })),
      { key: 'b1', team: 'beta', status: 'lead', createdAt: now - 100 * DAY },
    ],
  });
  const { TeamEvent, Team } = node.cluster.db.models;
  await TeamEvent.create({
    teamId: fx.teams.alpha,
    seq: 1,
    eventId: '00000000-0000-4000-8000-000000000001',
    type: 'opportunity:moved',
    actorId: fx.users['fx_rep1']!,
    at: new Date(now - 40 * DAY),
    data: { opportunity: {}, fromStageId: fx.stages.alpha[oldMove.from], toStageId: fx.stages.alpha[oldMove.to] },
  });
  await Team.update({ lastSeq: 1 }, { where: { id: fx.teams.alpha } });
  [rep1, rep2, admin] = await Promise.all([signIn(node.url, 'fx_rep1'), signIn(node.url, 'fx_rep2'), signIn(node.url, 'fx_admin')]);
  const versions = new Map<string, number>();
  for (const m of moves) {
    const version = versions.get(m.key) ?? 1;
    const who = m.by === 'rep1' ? rep1 : rep2;
    const res = await who.send('PUT', `/api/crm/opportunities/${fx.deals[m.key]}/move`, { stageId: fx.stages.alpha[m.to], version });
    expect(res.status).toBe(200);
    versions.set(m.key, version + 1);
    const d = deals.find((x) => x.key === m.key)!;
    d.stage = m.to;
    d.updatedAt = Date.parse(res.body.opportunity.updatedAt);
  }
});
afterAll(() => node.stop());

const pipeline = async (who: Session, query = '') => {
  const res = await who.get<PipelineAnalyticsResponse>(`/api/crm/analytics/pipeline?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.analytics;
};
const alpha = () => deals.filter((d) => d.team === 'alpha');

describe('GET /api/crm/analytics/pipeline', () => {
  it('answers count, value and weighted value per stage, and the open totals', async () => {
    const a = await pipeline(rep1);
    expect(a.stages.map(({ name, count, valueCents, weightedCents }) => ({ name, count, valueCents, weightedCents }))).toEqual(
      expectedStages(alpha()),
    );
    expect(a.stages.map((s) => s.stageIds)).toEqual(Object.values(fx.stages.alpha).map((id) => [id]));
    expect({ openValueCents: a.openValueCents, weightedValueCents: a.weightedValueCents }).toEqual(expectedOpenTotals(alpha()));
  });

  it("turns the period's stage moves into transitions with shares and per-stage conversion", async () => {
    const want = expectedTransitions(moves);
    const res = await rep2.get<PipelineAnalyticsResponse>('/api/crm/analytics/pipeline?period=30d');
    const a = res.body.analytics;
    expect(a.movesFrom).toBe(res.body.window.current.from);
    expect(a.transitions.map(({ from, to, count }) => ({ from, to, count }))).toEqual(
      want.transitions.map(({ from, to, count }) => ({ from, to, count })),
    );
    a.transitions.forEach((t, i) => expect(t.share).toBeCloseTo(want.transitions[i]!.share, 4));
    expect(a.conversion.map(({ name, exits, advances }) => ({ name, exits, advances }))).toEqual(
      want.conversion.map(({ name, exits, advances }) => ({ name, exits, advances })),
    );
    a.conversion.forEach((c, i) => expect(c.rate).toBeCloseTo(want.conversion[i]!.rate, 4));
  });

  it('reaches back as far as the period and the event log allow: the 40-day-old move counts in 90 days only', async () => {
    const want = expectedTransitions([oldMove, ...moves]);
    const a = await pipeline(rep1, 'period=90d');
    expect(Math.abs(Date.parse(a.movesFrom) - (Date.now() - 60 * DAY))).toBeLessThan(60_000);
    expect(a.transitions.map(({ from, to, count }) => ({ from, to, count }))).toEqual(
      want.transitions.map(({ from, to, count }) => ({ from, to, count })),
    );
    expect(a.conversion.find((c) => c.name === 'Lead')).toMatchObject({ exits: 4, advances: 3 });
  });

  it('lists open deals with no activity for N days, idlest first', async () => {
    for (const days of [14, 20]) {
      const want = expectedRotting(alpha(), touches, Date.now(), days);
      const a = await pipeline(rep1, `rottingDays=${days}`);
      expect(a.rottingDays).toBe(days);
      expect(a.rottingCount).toBe(want.length);
      expect(a.rotting.map((r) => r.id)).toEqual(want.map((w) => fx.deals[w.key]));
      expect(a.rotting.map((r) => r.idleDays)).toEqual(want.map((w) => w.idleDays));
    }
    expect((await pipeline(rep1, 'rottingDays=14')).rotting.map((r) => r.title)).toEqual(['Deal lead-a', 'Deal qual-a', 'Deal lead-c']);
  });

  it("merges both teams' stages for an admin's whole-tenant view, and shows Beta's idle deal there only", async () => {
    const a = await pipeline(admin);
    expect(a.stages.map(({ name, count, valueCents }) => ({ name, count, valueCents }))).toEqual(
      expectedStages(deals).map(({ name, count, valueCents }) => ({ name, count, valueCents })),
    );
    expect(a.stages[0]!.stageIds).toEqual([fx.stages.alpha.Lead, fx.stages.beta.Lead]);
    expect(a.rotting.map((r) => r.title)).toContain('Deal beta-lead');
    expect((await pipeline(rep1)).rotting.map((r) => r.title)).not.toContain('Deal beta-lead');
  });

  it('rejects rottingDays out of range and unknown parameters', async () => {
    for (const q of ['rottingDays=0', 'rottingDays=1000', 'stale=1', 'rottingDays[$gt]=3']) {
      expect((await rep1.get(`/api/crm/analytics/pipeline?${q}`)).status, q).toBe(400);
    }
  });
});
