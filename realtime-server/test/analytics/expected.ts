import type { ActivityType, MetricWithTrend, SalesMetrics } from '@live-crm/shared-types';
import {
  MEMBERS,
  OUTCOME,
  POSITION,
  PROBABILITY,
  shanghaiDate,
  type ActivitySpec,
  type CustomerSpec,
  type DealSpec,
  type StageName,
  type TaskSpec,
} from './fixture.js';

const STAGE_NAMES: StageName[] = ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'];

/** Plain-JS reference numbers, computed from the fixture specs rather than by the server's SQL. */
export interface Bounds {
  curFrom: number;
  curTo: number;
  prevFrom: number;
}

const within = (t: number | undefined, from: number, to: number): t is number => t !== undefined && t >= from && t < to;
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

function salesSide(deals: DealSpec[], from: number, to: number) {
  const closed = deals.filter((d) => OUTCOME[d.stage] !== 'open' && within(d.closedAt, from, to));
  const won = closed.filter((d) => OUTCOME[d.stage] === 'won');
  return {
    wonValueCents: won.reduce((s, d) => s + d.valueCents, 0),
    wonCount: won.length,
    conversionRate: closed.length === 0 ? 0 : round(won.length / closed.length, 4),
    averageDealCents: Math.round(mean(won.map((d) => d.valueCents))),
    averageCycleDays: round(mean(won.map((d) => (d.closedAt! - d.createdAt) / 86_400_000)), 1),
    newPipelineCents: deals.filter((d) => within(d.createdAt, from, to)).reduce((s, d) => s + d.valueCents, 0),
  };
}

export function expectedSales(deals: DealSpec[], b: Bounds): SalesMetrics {
  const cur = salesSide(deals, b.curFrom, b.curTo);
  const prev = salesSide(deals, b.prevFrom, b.curFrom);
  const keys = Object.keys(cur) as Array<keyof typeof cur>;
  return Object.fromEntries(
    keys.map((k) => [k, { current: cur[k], previous: prev[k] } satisfies MetricWithTrend]),
  ) as unknown as SalesMetrics;
}

export interface ExpectedStage {
  name: string;
  count: number;
  valueCents: number;
  weightedCents: number;
}

/** Current deals per stage name (all stages listed, empty ones as zero). */
export function expectedStages(deals: DealSpec[]): ExpectedStage[] {
  return STAGE_NAMES.map((name) => {
    const here = deals.filter((d) => d.stage === name);
    const value = here.reduce((s, d) => s + d.valueCents, 0);
    return { name, count: here.length, valueCents: value, weightedCents: Math.round((value * PROBABILITY[name]) / 100) };
  });
}

export function expectedOpenTotals(deals: DealSpec[]) {
  const open = deals.filter((d) => OUTCOME[d.stage] === 'open');
  return {
    openValueCents: open.reduce((s, d) => s + d.valueCents, 0),
    weightedValueCents: Math.round(open.reduce((s, d) => s + d.valueCents * PROBABILITY[d.stage], 0) / 100),
  };
}

export interface Move {
  from: StageName;
  to: StageName;
}

export function expectedTransitions(moves: Move[]) {
  const key = (m: Move) => `${m.from}>${m.to}`;
  const counts = new Map<string, Move & { count: number }>();
  for (const m of moves) counts.set(key(m), { ...m, count: (counts.get(key(m))?.count ?? 0) + 1 });
  const exits = (from: StageName) => moves.filter((m) => m.from === from).length;
  const forward = (m: Move) => POSITION[m.to] > POSITION[m.from] && OUTCOME[m.to] !== 'lost';
  const transitions = [...counts.values()]
    .sort((a, b) => POSITION[a.from] - POSITION[b.from] || POSITION[a.to] - POSITION[b.to])
    .map((t) => ({ from: t.from, to: t.to, count: t.count, share: t.count / exits(t.from) }));
  const conversion = STAGE_NAMES.filter((s) => exits(s) > 0).map((name) => {
    const advances = moves.filter((m) => m.from === name && forward(m)).length;
    return { name, exits: exits(name), advances, rate: advances / exits(name) };
  });
  return { transitions, conversion };
}

export interface Touch {
  customer: string;
  opportunity?: string;
  at: number;
}

/** Open deals whose latest touch (own change, or an activity on the deal or its customer) is older than N days. */
export function expectedRotting(deals: DealSpec[], touches: Touch[], now: number, days: number) {
  return deals
    .filter((d) => OUTCOME[d.stage] === 'open')
    .map((d) => {
      const own = touches.filter((t) => t.customer === (d.customer ?? `${d.team}-deals`) || t.opportunity === d.key).map((t) => t.at);
      const last = Math.max(d.updatedAt ?? d.createdAt, ...own);
      return { key: d.key, last, idleDays: Math.floor((now - last) / 86_400_000) };
    })
    .filter((r) => r.last < now - days * 86_400_000)
    .sort((a, b) => a.last - b.last);
}

const CONTACT: ActivityType[] = ['call', 'meeting', 'email', 'message', 'visit', 'follow-up', 'wechat'];

/** Local days of the period with the number of timestamps falling in each. */
function perDay(times: number[], b: Bounds) {
  const days: Array<{ date: string; count: number }> = [];
  for (let t = b.curFrom; t < b.curTo; t += 86_400_000) {
    days.push({ date: shanghaiDate(t), count: times.filter((x) => x >= t && x < t + 86_400_000).length });
  }
  return days;
}

export function expectedCustomers(customers: CustomerSpec[], activities: ActivitySpec[], b: Bounds) {
  const contacted = customers.filter(
    (c) =>
      within(c.lastContactAt, b.curFrom, b.curTo) ||
      activities.some((a) => a.customer === c.key && CONTACT.includes(a.type) && within(a.occurredAt, b.curFrom, b.curTo)),
  );
  const statuses = [...new Set(customers.map((c) => c.status))].sort();
  return {
    total: customers.length,
    newCustomers: {
      current: customers.filter((c) => within(c.createdAt, b.curFrom, b.curTo)).length,
      previous: customers.filter((c) => within(c.createdAt, b.prevFrom, b.curFrom)).length,
    },
    byStatus: statuses.map((status) => ({ status, count: customers.filter((c) => c.status === status).length })),
    contacted: contacted.length,
    notContacted: customers.length - contacted.length,
    newPerDay: perDay(
      customers.map((c) => c.createdAt),
      b,
    ),
  };
}

export function expectedActivities(activities: ActivitySpec[], members: Array<{ login: string; name: string }>, b: Bounds) {
  const cur = activities.filter((a) => within(a.occurredAt, b.curFrom, b.curTo));
  const tally = <K extends string>(keys: K[], of: (a: ActivitySpec) => K) =>
    keys.map((k) => ({ k, count: cur.filter((a) => of(a) === k).length }));
  const types = [...new Set(cur.map((a) => a.type))];
  const people = [...new Set([...members.map((m) => m.login), ...cur.map((a) => a.actor)])];
  const nameOf = (login: string) => MEMBERS.find((m) => m.login === login)!.name;
  return {
    total: { current: cur.length, previous: activities.filter((a) => within(a.occurredAt, b.prevFrom, b.curFrom)).length },
    byType: tally(types, (a) => a.type)
      .sort((x, y) => y.count - x.count || x.k.localeCompare(y.k))
      .map(({ k, count }) => ({ type: k, count })),
    byRep: tally(people, (a) => a.actor)
      .sort((x, y) => y.count - x.count || nameOf(x.k).localeCompare(nameOf(y.k)))
      .map(({ k, count }) => ({ name: nameOf(k), count })),
    perDay: perDay(
      cur.map((a) => a.occurredAt),
      b,
    ),
    perDayByType: perDayByType(cur),
  };
}

/** Non-zero (local day, type) pairs, by day then type. */
function perDayByType(cur: ActivitySpec[]) {
  const counts = new Map<string, number>();
  for (const a of cur) {
    const key = `${shanghaiDate(a.occurredAt)} ${a.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.keys()].sort().map((key) => {
    const [date = '', type = ''] = key.split(' ');
    return { date, type, count: counts.get(key) ?? 0 };
  });
}

export interface WeekBounds {
  from: number;
  to: number;
  cutoff: number;
}

/** The weekly report's numbers for one member, from the specs and the moves they made. */
export function expectedWeekRow(
  login: string,
  s: { activities: ActivitySpec[]; deals: DealSpec[]; tasks: TaskSpec[]; movesBy: string[] },
  w: WeekBounds,
) {
  const inWeek = (t: number | undefined) => within(t, w.from, w.to);
  const mine = s.activities.filter((a) => a.actor === login && inWeek(a.occurredAt));
  const tasks = s.tasks.filter((t) => t.assignee === login);
  return {
    calls: mine.filter((a) => a.type === 'call').length,
    meetings: mine.filter((a) => a.type === 'meeting').length,
    dealsMoved: s.movesBy.filter((by) => by === login).length,
    wonValueCents: s.deals
      .filter((d) => d.owner === login && OUTCOME[d.stage] === 'won' && inWeek(d.closedAt))
      .reduce((x, d) => x + d.valueCents, 0),
    tasksCompleted: tasks.filter((t) => t.status === 'completed' && inWeek(t.completedAt)).length,
    tasksOverdue: tasks.filter((t) => t.dueAt < w.cutoff && !(t.status === 'completed' && (t.completedAt ?? 0) < w.cutoff)).length,
  };
}
