import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Transaction } from 'sequelize';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import { ADMIN_URL, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';

export interface SeededMember {
  userId: number;
  oppId: number;
  version: number;
  stageId: number;
}
export interface SeededTeam {
  teamId: number;
  stages: [number, number];
  members: SeededMember[];
}
export interface GroupSize {
  key: string;
  clients: number;
  teamSize: number;
}
export interface BenchDatabase {
  url: string;
  tenantId: number;
  groups: Map<string, SeededTeam[]>;
  /** A rep whose team has `events` envelopes in its log, for timing sync:resume. */
  resume: { userId: number; teamId: number; head: number };
  drop(): Promise<void>;
}

const STAGES = [
  ['Lead', 10, 'open'],
  ['Qualified', 25, 'open'],
  ['Proposal', 50, 'open'],
  ['Negotiation', 75, 'open'],
  ['Won', 100, 'won'],
  ['Lost', 0, 'lost'],
] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '欣怡'];
const TRADES = ['明达贸易', '华信科技', '远航物流', '金桥建材', '瑞丰食品', '恒通机电'];
const DEALS = ['年度采购框架协议', '仓储系统升级', '华东区域代理', '设备批量订购', '季度补货合同'];

const person = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / 10) % GIVEN.length]}`;

/** Teams of `teamSize` reps (the first one manages), each rep owning one customer and one open deal. */
async function seedTeams(db: Database, tx: Transaction, tenantId: number, g: GroupSize): Promise<SeededTeam[]> {
  const m = db.models;
  const t = { transaction: tx };
  const teamCount = Math.ceil(g.clients / g.teamSize);
  const teams = await m.Team.bulkCreate(
    Array.from({ length: teamCount }, (_, i) => ({ tenantId, name: `${g.key} ${i + 1}` })),
    t,
  );
  const seeded: SeededTeam[] = [];
  for (const [ti, team] of teams.entries()) {
    const teamId = team.id;
    const stages = await m.Stage.bulkCreate(
      STAGES.map(([name, probability, outcome], position) => ({ teamId, name, probability, outcome, position })),
      t,
    );
    const size = Math.min(g.teamSize, g.clients - ti * g.teamSize);
    const users = await m.User.bulkCreate(
      Array.from({ length: size }, (_, i) => ({
        tenantId,
        teamId,
        login: `bench-${g.key}-${ti}-${i}`,
        name: person(ti * 7 + i),
        role: i === 0 ? ('manager' as const) : ('rep' as const),
      })),
      t,
    );
    const customers = await m.Customer.bulkCreate(
      users.map((u, i) => ({
        tenantId,
        teamId,
        name: person(i + 3),
        company: `上海${TRADES[i % TRADES.length]}有限公司`,
        phone: `139${String(teamId * 10_000 + i).padStart(8, '0')}`,
        status: 'prospect' as const,
        ownerId: u.id,
      })),
      t,
    );
    const opps = await m.Opportunity.bulkCreate(
      users.map((u, i) => ({
        tenantId,
        teamId,
        customerId: customers[i]!.id,
        title: DEALS[i % DEALS.length]!,
        valueCents: (50_000 + i * 1_300) * 100,
        stageId: stages[0]!.id,
        ownerId: u.id,
        expectedCloseDate: '2027-03-31',
        closedAt: null,
      })),
      t,
    );
    seeded.push({
      teamId,
      stages: [stages[0]!.id, stages[1]!.id],
      members: users.map((u, i) => ({ userId: u.id, oppId: opps[i]!.id, version: 1, stageId: stages[0]!.id })),
    });
  }
  return seeded;
}

/** A team whose log holds `events` realistic `opportunity:moved` envelopes. */
async function seedEventLog(db: Database, tx: Transaction, tenantId: number, events: number): Promise<BenchDatabase['resume']> {
  const [team] = await seedTeams(db, tx, tenantId, { key: 'resume', clients: 1, teamSize: 1 });
  const { teamId, stages, members } = team!;
  const opp = await db.models.Opportunity.findByPk(members[0]!.oppId, {
    include: [
      { model: db.models.Customer, as: 'customer' },
      { model: db.models.User, as: 'owner' },
    ],
    transaction: tx,
  });
  const dto = opp!.toDto();
  const rows = Array.from({ length: events }, (_, i) => {
    const [from, to] = i % 2 === 0 ? stages : [stages[1], stages[0]];
    return {
      teamId,
      seq: i + 1,
      eventId: randomUUID(),
      type: 'opportunity:moved' as const,
      actorId: members[0]!.userId,
      data: { opportunity: { ...dto, stageId: to, version: i + 2 }, fromStageId: from, toStageId: to },
      at: new Date(),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.models.TeamEvent.bulkCreate(rows.slice(i, i + 500), { transaction: tx });
  await db.models.Team.update({ lastSeq: events }, { where: { id: teamId }, transaction: tx });
  return { userId: members[0]!.userId, teamId, head: events };
}

/** The seeded teams with each deal's version and stage as they are now: an earlier group may have moved them. */
export async function currentTeams(url: string, teams: SeededTeam[]): Promise<SeededTeam[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = teams.flatMap((t) => t.members.map((m) => m.oppId));
    const { rows } = await client.query<{ id: number; version: number; stage_id: number }>(
      'SELECT id, version, stage_id FROM opportunities WHERE id = ANY($1::int[])',
      [ids],
    );
    const now = new Map(rows.map((r) => [r.id, r]));
    return teams.map((t) => ({
      ...t,
      members: t.members.map((m) => {
        const r = now.get(m.oppId);
        return r ? { ...m, version: r.version, stageId: r.stage_id } : m;
      }),
    }));
  } finally {
    await client.end();
  }
}

/** A fresh database for this bench run: migrated, then seeded through the models package. */
export async function createBenchDatabase(groups: GroupSize[], resumeEvents: number): Promise<BenchDatabase> {
  const name = uniqueName('livecrm_bench');
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`).finally(() => admin.end());
  const url = urlFor(name);
  const db = createDatabase({ url, poolMax: 2 });
  try {
    await createMigrator(db.sequelize).up();
    return await db.sequelize.transaction(async (tx) => {
      const tenant = await db.models.Tenant.create({ name: 'Bench Trading Co.', timeZone: 'Asia/Shanghai' }, { transaction: tx });
      const seeded = new Map<string, SeededTeam[]>();
      for (const g of groups) seeded.set(g.key, await seedTeams(db, tx, tenant.id, g));
      const resume = await seedEventLog(db, tx, tenant.id, resumeEvents + 200);
      return { url, tenantId: tenant.id, groups: seeded, resume, drop: () => dropDatabase(name) };
    });
  } finally {
    await db.close();
  }
}
