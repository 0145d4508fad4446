import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { expectedWeekRow, type WeekBounds } from './expected.js';
import {
  buildFixture,
  clearOfMidnight,
  DAY,
  HOUR,
  MEMBERS,
  shanghaiDate,
  shanghaiMidnight,
  type ActivitySpec,
  type DealSpec,
  type Fixture,
  type TaskSpec,
} from './fixture.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
type Session = Awaited<ReturnType<typeof signIn>>;
let mgr: Session;
const now = Date.now();
const today = shanghaiMidnight(now);
/** Monday 00:00 Shanghai of this week. */
const weekStart = today - ((new Date(today + 8 * HOUR).getUTCDay() + 6) % 7) * DAY;
const lastWeek = weekStart - 7 * DAY;
/** A time inside this week that has already passed: a fraction of the way from Monday 00:00 to now. */
const soFar = (f: number) => Math.floor(weekStart + (now - weekStart) * f);

const act = (actor: string, type: ActivitySpec['type'], occurredAt: number): ActivitySpec => ({
  team: 'alpha',
  actor,
  customer: 'alpha-deals',
  type,
  occurredAt,
});
const activities: ActivitySpec[] = [
  act('fx_rep1', 'call', weekStart),
  act('fx_rep1', 'call', soFar(0.5)),
  act('fx_rep1', 'call', weekStart - 0.5 * HOUR),
  act('fx_rep1', 'meeting', soFar(0.7)),
  act('fx_rep2', 'meeting', soFar(0.2)),
  act('fx_rep2', 'meeting', soFar(0.9)),
  act('fx_rep2', 'call', soFar(0.3)),
  act('fx_mgr', 'visit', soFar(0.4)),
];
const dl = (key: string, owner: string, stage: DealSpec['stage'], valueCents: number, closedAt?: number): DealSpec => ({
  key,
  team: 'alpha',
  owner,
  stage,
  valueCents,
  createdAt: lastWeek - 30 * DAY,
  ...(closedAt === undefined ? {} : { closedAt }),
});
const deals: DealSpec[] = [
  dl('w1', 'fx_rep1', 'Won', 123_400, soFar(0.6)),
  dl('w0', 'fx_rep1', 'Won', 99_900, lastWeek + DAY),
  dl('l1', 'fx_rep2', 'Lost', 77_000, soFar(0.6)),
  dl('w2', 'fx_rep2', 'Won', 50_000, soFar(0.1)),
  dl('to-win', 'fx_rep1', 'Negotiation', 31_000),
  dl('to-move', 'fx_rep2', 'Lead', 8_000),
];
const task = (assignee: string, status: TaskSpec['status'], dueAt: number, completedAt?: number): TaskSpec => ({
  team: 'alpha',
  assignee,
  status,
  dueAt,
  ...(completedAt === undefined ? {} : { completedAt }),
});
const tasks: TaskSpec[] = [
  task('fx_rep1', 'completed', soFar(0.5), soFar(0.4)),
  task('fx_rep1', 'completed', soFar(0.9), soFar(0.8)),
  task('fx_rep1', 'completed', lastWeek + DAY, lastWeek + DAY),
  task('fx_rep1', 'pending', weekStart - DAY),
  task('fx_rep1', 'pending', soFar(0.5)),
  task('fx_rep1', 'pending', now + 3 * DAY),
  task('fx_rep2', 'in_progress', weekStart - 3 * DAY),
  task('fx_rep2', 'in_progress', soFar(0.1)),
  task('fx_rep2', 'completed', weekStart - 2 * DAY, now - 60_000),
];
const movesBy: string[] = [];

beforeAll(async () => {
  await clearOfMidnight();
  node = await startTestNode();
  fx = await buildFixture(node.cluster.db, {
    deals,
    activities,
    tasks,
    customers: [{ key: 'alpha-deals', team: 'alpha', status: 'active', createdAt: lastWeek - 60 * DAY }],
  });
  const [rep1, rep2] = await Promise.all([signIn(node.url, 'fx_rep1'), signIn(node.url, 'fx_rep2')]);
  mgr = await signIn(node.url, 'fx_mgr');
  // rep2 closes rep1's deal: the move is rep2's, the won value rep1's (the owner).
  const won = await rep2.send('PUT', `/api/crm/opportunities/${fx.deals['to-win']}/move`, { stageId: fx.stages.alpha.Won, version: 1 });
  Object.assign(
    deals.find((d) => d.key === 'to-win')!,
    { stage: 'Won', closedAt: Date.parse(won.body.opportunity.closedAt) },
  );
  await rep1.send('PUT', `/api/crm/opportunities/${fx.deals['to-move']}/move`, { stageId: fx.stages.alpha.Qualified, version: 1 });
  movesBy.push('fx_rep2', 'fx_rep1');
});
afterAll(() => node.stop());

const generate = (who: Session, parameters: Record<string, unknown> = {}) =>
  who.send<ReportResponse>('POST', '/api/crm/reports/generate', { type: 'weekly-team', parameters });

const alphaMembers = MEMBERS.filter((m) => m.team === 'alpha').sort((a, b) => a.name.localeCompare(b.name));

describe('POST /api/crm/reports/generate weekly-team', () => {
  it('answers this week per member: calls, meetings, deals moved, won value, tasks completed and overdue', async () => {
    const res = await generate(mgr);
    expect(res.status).toBe(200);
    const { report } = res.body;
    expect(report).toMatchObject({
      type: 'weekly-team',
      teamIds: [fx.teams.alpha],
      timeZone: 'Asia/Shanghai',
      weekStart: shanghaiDate(weekStart),
      weekEnd: shanghaiDate(weekStart + 7 * DAY),
      from: new Date(weekStart).toISOString(),
      to: new Date(weekStart + 7 * DAY).toISOString(),
    });
    const w: WeekBounds = { from: weekStart, to: weekStart + 7 * DAY, cutoff: Date.now() };
    const want = alphaMembers.map((m) => ({
      userId: fx.users[m.login],
      name: m.name,
      role: m.role,
      ...expectedWeekRow(m.login, { activities, deals, tasks, movesBy }, w),
    }));
    expect(report.rows).toEqual(want);
    expect(report.totals.calls).toBe(want.reduce((s, r) => s + r.calls, 0));
    expect(report.rows.find((r) => r.name === 'Fx Rep One')).toMatchObject({
      calls: 2,
      meetings: 1,
      dealsMoved: 1,
      wonValueCents: 123_400 + 31_000,
      tasksCompleted: 2,
      tasksOverdue: 2,
    });
  });

  it("reports a past week from any of its days, overdue as of that week's end", async () => {
    const res = await generate(mgr, { weekStart: shanghaiDate(lastWeek + 2 * DAY) });
    expect(res.status).toBe(200);
    expect(res.body.report.weekStart).toBe(shanghaiDate(lastWeek));
    const w: WeekBounds = { from: lastWeek, to: weekStart, cutoff: weekStart };
    const want = alphaMembers.map((m) => ({ name: m.name, ...expectedWeekRow(m.login, { activities, deals, tasks, movesBy: [] }, w) }));
    expect(res.body.report.rows.map(({ userId: _u, role: _r, ...rest }) => rest)).toEqual(want);
    expect(res.body.report.rows.find((r) => r.name === 'Fx Rep Two')).toMatchObject({ tasksOverdue: 2, calls: 0 });
  });

  it('rejects an unknown report type and a malformed date with 400, and a foreign team with 404', async () => {
    expect((await mgr.send('POST', '/api/crm/reports/generate', { type: 'monthly-sales' })).status).toBe(400);
    expect((await generate(mgr, { weekStart: '2025-02-30' })).status).toBe(400);
    const ada = await signIn(node.url, 'ada');
    expect((await generate(ada, { teamId: fx.teams.alpha })).status).toBe(404);
  });
});
