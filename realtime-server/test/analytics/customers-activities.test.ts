import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityAnalyticsResponse, AnalyticsPeriod, AnalyticsTeamsResponse, CustomerAnalyticsResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { expectedActivities, expectedCustomers } from './expected.js';
import {
  buildFixture,
  clearOfMidnight,
  DAY,
  HOUR,
  MEMBERS,
  periodOf,
  shanghaiDate,
  type ActivitySpec,
  type CustomerSpec,
} from './fixture.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
type Session = Awaited<ReturnType<typeof signIn>>;
let rep1: Session;
let admin: Session;
let customers: CustomerSpec[];
let activities: ActivitySpec[];

function specs(now: number) {
  const { curFrom } = periodOf(7, now);
  const c = (key: string, status: CustomerSpec['status'], createdAt: number, lastContactAt?: number): CustomerSpec => ({
    key,
    team: 'alpha',
    status,
    createdAt,
    ...(lastContactAt === undefined ? {} : { lastContactAt }),
  });
  const a = (actor: string, customer: string, type: ActivitySpec['type'], occurredAt: number): ActivitySpec => ({
    team: 'alpha',
    actor,
    customer,
    type,
    occurredAt,
  });
  customers = [
    c('k1', 'lead', curFrom + 0.5 * HOUR),
    c('k2', 'prospect', curFrom - 0.5 * HOUR, now - HOUR),
    c('k3', 'active', now - 10 * 60_000),
    c('k4', 'inactive', now - 100 * DAY, now - 10 * DAY),
    c('k5', 'active', curFrom + 3 * DAY + 23.5 * HOUR),
    c('k6', 'lead', now - 50 * DAY),
    c('k7', 'prospect', now - 8 * DAY),
  ];
  activities = [
    a('fx_rep1', 'k5', 'call', curFrom + 2 * DAY + 10 * HOUR),
    a('fx_rep1', 'k1', 'call', curFrom + 0.5 * HOUR), // 00:30 on the first local day: its own bucket, not the day before
    a('fx_rep1', 'k2', 'meeting', now - HOUR),
    a('fx_rep2', 'k3', 'email', now - 5 * 60_000),
    a('fx_rep2', 'k2', 'call', curFrom - 0.5 * HOUR),
    a('fx_rep2', 'k4', 'visit', now - 10 * DAY),
    a('fx_mgr', 'k6', 'note', curFrom + DAY),
    a('fx_admin', 'k3', 'message', now - 2 * HOUR),
  ];
  return {
    customers: [...customers, { key: 'b1', team: 'beta' as const, status: 'lead' as const, createdAt: now - HOUR }],
    activities: [...activities, { team: 'beta' as const, actor: 'fx_rep3', customer: 'b1', type: 'call' as const, occurredAt: now - HOUR }],
  };
}

beforeAll(async () => {
  await clearOfMidnight();
  node = await startTestNode();
  const all = specs(Date.now());
  await buildFixture(node.cluster.db, { ...all, deals: [], tasks: [] });
  [rep1, admin] = await Promise.all([signIn(node.url, 'fx_rep1'), signIn(node.url, 'fx_admin')]);
});
afterAll(() => node.stop());

const PERIODS: AnalyticsPeriod[] = ['7d', '30d', '90d'];
const daysOf = (p: AnalyticsPeriod) => Number(p.replace('d', ''));

describe('GET /api/crm/analytics/teams', () => {
  it('lists every team of the tenant by name for the admin, and only their own for a rep', async () => {
    const all = await admin.get<AnalyticsTeamsResponse>('/api/crm/analytics/teams');
    expect(all.status).toBe(200);
    expect(all.body.teams.map((t) => t.name)).toEqual(['Alpha', 'Beta']);
    const mine = await rep1.get<AnalyticsTeamsResponse>('/api/crm/analytics/teams');
    expect(mine.body.teams.map((t) => t.name)).toEqual(['Alpha']);
  });
});

describe('GET /api/crm/analytics/customers', () => {
  it.each(PERIODS)('matches the fixture for %s: new, by status, contacted vs not, per day', async (period) => {
    const res = await rep1.get<CustomerAnalyticsResponse>(`/api/crm/analytics/customers?period=${period}`);
    expect(res.status).toBe(200);
    expect(res.body.analytics).toEqual(expectedCustomers(customers, activities, periodOf(daysOf(period))));
  });

  it('counts a customer as contacted by its last contact time or a contact activity, not a note', async () => {
    const { analytics } = (await rep1.get<CustomerAnalyticsResponse>('/api/crm/analytics/customers?period=7d')).body;
    expect(analytics).toMatchObject({ total: 7, contacted: 4, notContacted: 3, newCustomers: { current: 3, previous: 2 } });
    expect(analytics.newPerDay[0]).toEqual({ date: shanghaiDate(periodOf(7).curFrom), count: 1 });
  });
});

describe('GET /api/crm/analytics/activities', () => {
  const alphaMembers = MEMBERS.filter((m) => m.team === 'alpha');

  it.each(PERIODS)('matches the fixture for %s: by type, by rep (zeros included), per day', async (period) => {
    const res = await rep1.get<ActivityAnalyticsResponse>(`/api/crm/analytics/activities?period=${period}`);
    expect(res.status).toBe(200);
    const want = expectedActivities(activities, alphaMembers, periodOf(daysOf(period)));
    const { byRep, ...rest } = res.body.analytics;
    expect(rest).toEqual({ total: want.total, byType: want.byType, perDay: want.perDay, perDayByType: want.perDayByType });
    expect(byRep.map(({ name, count }) => ({ name, count }))).toEqual(want.byRep);
  });

  it("puts a call at 00:30 Shanghai on the first day into that day's bucket", async () => {
    const { analytics } = (await rep1.get<ActivityAnalyticsResponse>('/api/crm/analytics/activities?period=7d')).body;
    expect(analytics.perDay).toHaveLength(7);
    expect(analytics.perDay[0]).toEqual({ date: shanghaiDate(periodOf(7).curFrom), count: 1 });
    expect(analytics.total).toEqual({ current: 6, previous: 2 });
  });

  it('splits each day by type, and the split adds up to the day', async () => {
    const { analytics } = (await rep1.get<ActivityAnalyticsResponse>('/api/crm/analytics/activities?period=7d')).body;
    const first = shanghaiDate(periodOf(7).curFrom);
    expect(analytics.perDayByType.filter((r) => r.date === first)).toEqual([{ date: first, type: 'call', count: 1 }]);
    for (const day of analytics.perDay) {
      const split = analytics.perDayByType.filter((r) => r.date === day.date).reduce((n, r) => n + r.count, 0);
      expect(split, day.date).toBe(day.count);
    }
  });

  it('gives the admin both teams and the rep their own only', async () => {
    const mine = (await rep1.get<ActivityAnalyticsResponse>('/api/crm/analytics/activities?period=7d')).body;
    const all = (await admin.get<ActivityAnalyticsResponse>('/api/crm/analytics/activities?period=7d')).body;
    expect(all.window.teamIds).toHaveLength(2);
    expect(all.analytics.total.current).toBe(mine.analytics.total.current + 1);
    expect(mine.analytics.byRep.map((r) => r.name)).not.toContain('Fx Rep Three');
    expect(all.analytics.byRep.find((r) => r.name === 'Fx Rep Three')?.count).toBe(1);
  });

  it('counts what people logged, not the stage changes a move writes', async () => {
    const path = '/api/crm/analytics/activities?period=7d';
    const before = (await rep1.get<ActivityAnalyticsResponse>(path)).body.analytics;
    const { Activity } = node.cluster.db.models;
    const logged = (await Activity.findOne({ where: { actorId: rep1.user.id }, order: [['id', 'ASC']] }))!;
    const stage = { key: null, name: 'x' };
    await Activity.create({
      tenantId: logged.tenantId,
      teamId: logged.teamId,
      customerId: logged.customerId,
      opportunityId: null,
      actorId: rep1.user.id,
      type: 'stage-change',
      content: '',
      params: { title: 'deal', from: { id: 1, ...stage }, to: { id: 2, ...stage } },
      occurredAt: new Date(),
    });
    expect((await rep1.get<ActivityAnalyticsResponse>(path)).body.analytics).toEqual(before);
  });
});
