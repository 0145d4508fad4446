import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsPeriod, SalesAnalyticsResponse, SalesMetrics } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { expectedSales } from './expected.js';
import { buildFixture, clearOfMidnight, DAY, HOUR, OUTCOME, periodOf, shanghaiDate, type DealSpec, type Fixture } from './fixture.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
let deals: DealSpec[];
const clients: WeappClient[] = [];
type Session = Awaited<ReturnType<typeof signIn>>;
let rep1: Session;
let admin: Session;

function specs(now: number): DealSpec[] {
  const { today, curFrom } = periodOf(7, now);
  const a = (key: string, owner: string, stage: DealSpec['stage'], valueCents: number, createdAt: number, closedAt?: number): DealSpec => ({
    key,
    team: 'alpha',
    owner,
    stage,
    valueCents,
    createdAt,
    ...(closedAt === undefined ? {} : { closedAt }),
  });
  return [
    // The 7-day period's first local day: 00:15 and 23:30 count; 23:30 the evening before does not.
    a('first-0015', 'fx_rep1', 'Won', 100_000, curFrom - 20 * DAY, curFrom + 15 * 60_000),
    a('first-2330', 'fx_rep1', 'Won', 250_000, curFrom - 10 * DAY + 3 * HOUR, curFrom + 23.5 * HOUR),
    a('eve-2330', 'fx_rep2', 'Won', 400_000, curFrom - 30 * DAY, curFrom - 0.5 * HOUR),
    a('won-mid', 'fx_rep2', 'Won', 10_001, curFrom - DAY + 5 * HOUR, curFrom + 2 * DAY + 7 * HOUR),
    a('lost-now', 'fx_rep2', 'Lost', 70_000, curFrom - 5 * DAY, now - 60_000),
    a('lost-prev', 'fx_rep1', 'Lost', 30_000, curFrom - 9 * DAY, curFrom - 3 * DAY),
    a('won-20d', 'fx_rep2', 'Won', 333_333, today - 45 * DAY, today - 20 * DAY),
    a('won-40d', 'fx_rep1', 'Won', 55_500, today - 70 * DAY, today - 40 * DAY),
    a('lost-old', 'fx_rep1', 'Lost', 5_000, today - 200 * DAY, today - 100 * DAY),
    a('open-today', 'fx_rep1', 'Lead', 20_000, now - 120_000),
    a('open-eve', 'fx_rep2', 'Proposal', 90_000, curFrom - 2 * HOUR),
    a('open-first', 'fx_rep1', 'Negotiation', 120_000, curFrom + HOUR),
    {
      key: 'beta-won',
      team: 'beta',
      owner: 'fx_rep3',
      stage: 'Won',
      valueCents: 999_999,
      createdAt: today - 3 * DAY,
      closedAt: now - 300_000,
    },
    { key: 'beta-open', team: 'beta', owner: 'fx_rep3', stage: 'Lead', valueCents: 44_000, createdAt: today - DAY },
  ];
}

beforeAll(async () => {
  await clearOfMidnight();
  node = await startTestNode();
  deals = specs(Date.now());
  const longAgo = Date.now() - 400 * DAY;
  fx = await buildFixture(node.cluster.db, {
    deals,
    customers: [
      { key: 'alpha-deals', team: 'alpha', status: 'active', createdAt: longAgo },
      { key: 'beta-deals', team: 'beta', status: 'active', createdAt: longAgo },
    ],
    activities: [],
    tasks: [],
  });
  [rep1, admin] = await Promise.all([signIn(node.url, 'fx_rep1'), signIn(node.url, 'fx_admin')]);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await node.stop();
});

const sales = async (who: Session, query: string) => {
  const res = await who.get<SalesAnalyticsResponse>(`/api/crm/analytics/sales?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

function expectMetrics(actual: SalesMetrics, expected: SalesMetrics): void {
  expect(actual.wonValueCents).toEqual(expected.wonValueCents);
  expect(actual.wonCount).toEqual(expected.wonCount);
  expect(actual.averageDealCents).toEqual(expected.averageDealCents);
  expect(actual.newPipelineCents).toEqual(expected.newPipelineCents);
  for (const side of ['current', 'previous'] as const) {
    expect(actual.conversionRate[side]).toBeCloseTo(expected.conversionRate[side], 4);
    expect(actual.averageCycleDays[side]).toBeCloseTo(expected.averageCycleDays[side], 1);
  }
}

const alpha = () => deals.filter((d) => d.team === 'alpha');

describe('GET /api/crm/analytics/sales', () => {
  it.each(['7d', '30d', '90d', '365d'] as AnalyticsPeriod[])('matches numbers computed from the fixture for %s', async (period) => {
    const days = Number(period.replace('d', ''));
    const body = await sales(rep1, `period=${period}`);
    expectMetrics(body.metrics, expectedSales(alpha(), periodOf(days)));
    expect(body.window).toMatchObject({
      period,
      timeZone: 'Asia/Shanghai',
      teamIds: [fx.teams.alpha],
      current: { firstDay: shanghaiDate(periodOf(days).curFrom), lastDay: shanghaiDate(Date.now()) },
      previous: { lastDay: shanghaiDate(periodOf(days).curFrom - DAY) },
    });
  });

  it("counts the period's first day from Shanghai midnight: 00:15 and 23:30 count, 23:30 the day before does not", async () => {
    const { metrics } = await sales(rep1, 'period=7d');
    expect(metrics.wonValueCents.current).toBe(100_000 + 250_000 + 10_001);
    expect(metrics.wonCount.current).toBe(3);
    expect(metrics.wonValueCents.previous).toBe(400_000);
    expect(metrics.conversionRate.current).toBeCloseTo(3 / 4, 4);
    expect(metrics.conversionRate.previous).toBeCloseTo(1 / 2, 4);
    expect(metrics.newPipelineCents.current).toBe(20_000 + 120_000);
  });

  it('defaults to 30 days', async () => {
    expect((await sales(rep1, '')).window.period).toBe('30d');
  });

  it('gives an admin the whole tenant, or the one team they pick', async () => {
    const p = periodOf(30);
    expectMetrics((await sales(admin, 'period=30d')).metrics, expectedSales(deals, p));
    const beta = await sales(admin, `period=30d&teamId=${fx.teams.beta}`);
    expect(beta.window.teamIds).toEqual([fx.teams.beta]);
    expectMetrics(
      beta.metrics,
      expectedSales(
        deals.filter((d) => d.team === 'beta'),
        p,
      ),
    );
  });

  it('ignores a teamId sent by a rep', async () => {
    const body = await sales(rep1, `period=30d&teamId=${fx.teams.beta}`);
    expect(body.window.teamIds).toEqual([fx.teams.alpha]);
    expectMetrics(body.metrics, expectedSales(alpha(), periodOf(30)));
  });

  it('never reaches another tenant: a foreign team is a 404 and demo numbers hold only demo rows', async () => {
    const [ada, ray] = await Promise.all([signIn(node.url, 'ada'), signIn(node.url, 'ray')]);
    const res = await admin.get(`/api/crm/analytics/sales?teamId=${ray.user.teamId}`);
    expect(res.status).toBe(404);
    expect((await ada.get(`/api/crm/analytics/sales?teamId=${fx.teams.alpha}`)).status).toBe(404);

    const { Opportunity, Stage } = node.cluster.db.models;
    const stages = new Map((await Stage.findAll()).map((s) => [s.id, s]));
    const theirs = (await Opportunity.findAll({ where: { tenantId: ada.user.tenantId } })).map((o): DealSpec => ({
      key: String(o.id),
      team: 'alpha',
      owner: '',
      stage: stages.get(o.stageId)!.name as DealSpec['stage'],
      valueCents: o.valueCents,
      createdAt: o.createdAt.getTime(),
      ...(o.closedAt ? { closedAt: o.closedAt.getTime() } : {}),
    }));
    expectMetrics((await sales(ada, 'period=30d')).metrics, expectedSales(theirs, periodOf(30)));
  });

  it('rejects a bad period, an operator object and unknown parameters with 400; no token is 401', async () => {
    for (const q of ['period=14d', 'period[$gte]=7d', 'period=7d&userId=1', 'teamId=abc']) {
      const res = await rep1.get(`/api/crm/analytics/sales?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    expect((await http(node.url, 'GET', '/api/crm/analytics/sales')).status).toBe(401);
  });

  it("a deal moved to Won changes won value and conversion at once, as the manager's phone hears the move", async () => {
    const mgr = await signIn(node.url, 'fx_mgr');
    const phone = await connectWeapp(node.url, mgr.token);
    clients.push(phone);
    const before = await sales(mgr, 'period=7d');
    const deal = deals.find((d) => d.key === 'open-today')!;
    const heard = phone.next('opportunity:moved');
    const moved = await rep1.send('PUT', `/api/crm/opportunities/${fx.deals[deal.key]}/move`, { stageId: fx.stages.alpha.Won, version: 1 });
    expect(moved.status).toBe(200);
    expect((await heard).data.toStageId).toBe(fx.stages.alpha.Won);

    deal.stage = 'Won';
    deal.closedAt = Date.parse(moved.body.opportunity.closedAt);
    expect(OUTCOME[deal.stage]).toBe('won');
    const after = await sales(mgr, 'period=7d');
    expect(after.metrics.wonValueCents.current).toBe(before.metrics.wonValueCents.current + 20_000);
    expect(after.metrics.wonCount.current).toBe(before.metrics.wonCount.current + 1);
    expect(after.metrics.conversionRate.current).toBeCloseTo(4 / 5, 4);
    expectMetrics(after.metrics, expectedSales(alpha(), periodOf(7)));
  });
});
