import type { Database } from '@live-crm/models';
import type { ActivityType, CustomerStatus, TaskStatus } from '@live-crm/shared-types';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

/** Shanghai midnight (no DST there) of the day holding `t`, as an absolute time. */
export const shanghaiMidnight = (t: number): number => Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;
export const shanghaiDate = (t: number): string => new Date(t + SHANGHAI).toISOString().slice(0, 10);

/** The first local day of an N-day period ending today, and both sides' absolute bounds. */
export function periodOf(days: number, now = Date.now()) {
  const today = shanghaiMidnight(now);
  const curFrom = today - (days - 1) * DAY;
  return { today, curFrom, curTo: today + DAY, prevFrom: curFrom - days * DAY };
}

/** Waits out the last seconds before Shanghai midnight so "today" cannot change under a test. */
export async function clearOfMidnight(marginMs = 15_000): Promise<void> {
  const left = shanghaiMidnight(Date.now()) + DAY - Date.now();
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 200));
}

export type StageName = 'Lead' | 'Qualified' | 'Proposal' | 'Negotiation' | 'Won' | 'Lost';
const STAGES: Array<[StageName, number, 'open' | 'won' | 'lost']> = [
  ['Lead', 10, 'open'],
  ['Qualified', 25, 'open'],
  ['Proposal', 50, 'open'],
  ['Negotiation', 75, 'open'],
  ['Won', 100, 'won'],
  ['Lost', 0, 'lost'],
];
export const OUTCOME = Object.fromEntries(STAGES.map(([n, , o]) => [n, o])) as Record<StageName, 'open' | 'won' | 'lost'>;
export const PROBABILITY = Object.fromEntries(STAGES.map(([n, p]) => [n, p])) as Record<StageName, number>;
export const POSITION = Object.fromEntries(STAGES.map(([n], i) => [n, i])) as Record<StageName, number>;

/** `customer` defaults to `<team>-deals`, a customer key the spec must hold. */
export interface DealSpec {
  key: string;
  team: 'alpha' | 'beta';
  owner: string;
  stage: StageName;
  valueCents: number;
  createdAt: number;
  closedAt?: number;
  updatedAt?: number;
  customer?: string;
}
export interface CustomerSpec {
  key: string;
  team: 'alpha' | 'beta';
  status: CustomerStatus;
  createdAt: number;
  lastContactAt?: number;
}
export interface ActivitySpec {
  team: 'alpha' | 'beta';
  actor: string;
  customer: string;
  type: ActivityType;
  occurredAt: number;
  opportunity?: string;
}
export interface TaskSpec {
  team: 'alpha' | 'beta';
  assignee: string;
  status: TaskStatus;
  dueAt: number;
  completedAt?: number;
}

export interface FixtureSpec {
  deals: DealSpec[];
  customers: CustomerSpec[];
  activities: ActivitySpec[];
  tasks: TaskSpec[];
}

export interface Fixture {
  tenantId: number;
  teams: { alpha: number; beta: number };
  users: Record<string, number>;
  stages: { alpha: Record<StageName, number>; beta: Record<StageName, number> };
  customers: Record<string, number>;
  deals: Record<string, number>;
}

/** Logins of the fixture tenant: admin, Alpha manager + two reps, Beta rep. Dev-login works for any login. */
export const MEMBERS = [
  { login: 'fx_admin', name: 'Fx Admin', role: 'admin' as const, team: null },
  { login: 'fx_mgr', name: 'Fx Manager', role: 'manager' as const, team: 'alpha' as const },
  { login: 'fx_rep1', name: 'Fx Rep One', role: 'rep' as const, team: 'alpha' as const },
  { login: 'fx_rep2', name: 'Fx Rep Two', role: 'rep' as const, team: 'alpha' as const },
  { login: 'fx_rep3', name: 'Fx Rep Three', role: 'rep' as const, team: 'beta' as const },
];

/** A tenant of our own (Asia/Shanghai) written through the models, so every expected number is known. */
export async function buildFixture(db: Database, spec: FixtureSpec): Promise<Fixture> {
  const m = db.models;
  const tenant = await m.Tenant.create({ name: 'Fixture Co', timeZone: 'Asia/Shanghai' });
  const alpha = await m.Team.create({ tenantId: tenant.id, name: 'Alpha' });
  const beta = await m.Team.create({ tenantId: tenant.id, name: 'Beta' });
  const teams = { alpha: alpha.id, beta: beta.id };
  const users: Record<string, number> = {};
  for (const u of MEMBERS) {
    const row = await m.User.create({
      tenantId: tenant.id,
      teamId: u.team ? teams[u.team] : null,
      login: u.login,
      name: u.name,
      role: u.role,
    });
    users[u.login] = row.id;
  }
  const stageRows = async (teamId: number) => {
    const rows = await m.Stage.bulkCreate(
      STAGES.map(([name, probability, outcome], position) => ({ teamId, name, probability, outcome, position })),
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.id])) as Record<StageName, number>;
  };
  const stages = { alpha: await stageRows(alpha.id), beta: await stageRows(beta.id) };
  const customers: Record<string, number> = {};
  for (const c of spec.customers) {
    const row = await m.Customer.create({
      tenantId: tenant.id,
      teamId: teams[c.team],
      name: `客户 ${c.key}`,
      status: c.status,
      ownerId: null,
      company: null,
      phone: null,
      email: null,
      address: null,
      lastContactAt: c.lastContactAt === undefined ? null : new Date(c.lastContactAt),
      createdAt: new Date(c.createdAt),
      updatedAt: new Date(c.createdAt),
    });
    customers[c.key] = row.id;
  }
  const deals: Record<string, number> = {};
  for (const d of spec.deals) {
    const [row] = await m.Opportunity.bulkCreate([
      {
        tenantId: tenant.id,
        teamId: teams[d.team],
        customerId: customers[d.customer ?? `${d.team}-deals`]!,
        title: `Deal ${d.key}`,
        valueCents: d.valueCents,
        stageId: stages[d.team][d.stage],
        ownerId: users[d.owner]!,
        expectedCloseDate: null,
        closedAt: d.closedAt === undefined ? null : new Date(d.closedAt),
        createdAt: new Date(d.createdAt),
        updatedAt: new Date(d.updatedAt ?? d.closedAt ?? d.createdAt),
      },
    ]);
    deals[d.key] = row!.id;
  }
  await m.Activity.bulkCreate(
    spec.activities.map((a) => ({
      tenantId: tenant.id,
      teamId: teams[a.team],
      customerId: customers[a.customer]!,
      actorId: users[a.actor]!,
      opportunityId: a.opportunity ? deals[a.opportunity]! : null,
      type: a.type,
      content: `${a.type} log`,
      occurredAt: new Date(a.occurredAt),
    })),
  );
  await m.Task.bulkCreate(
    spec.tasks.map((t, i) => ({
      tenantId: tenant.id,
      teamId: teams[t.team],
      customerId: null,
      title: `Task ${i}`,
      description: null,
      status: t.status,
      dueAt: new Date(t.dueAt),
      remindAt: null,
      remindedAt: new Date(),
      assigneeId: users[t.assignee]!,
      createdById: users['fx_mgr']!,
      completedAt: t.completedAt === undefined ? null : new Date(t.completedAt),
    })),
  );
  return { tenantId: tenant.id, teams, users, stages, customers, deals };
}
