import type { Role, Visibility } from '@live-crm/shared-types';
import type { Database } from '../db.js';

interface DemoUser {
  login: string;
  name: string;
  role: Role;
}
interface DemoTeam {
  name: string;
  manager: DemoUser;
  reps: DemoUser[];
  /** ARCHITECTURE 9.2: demo team West keeps each rep to their own records. */
  visibility?: Visibility;
}
export interface DemoTenant {
  name: string;
  admins: DemoUser[];
  teams: DemoTeam[];
}

// ARCHITECTURE section 4: ASCII logins; names, teams and companies as a Chinese sales team writes them.
const TENANTS: DemoTenant[] = [
  {
    name: '示范贸易有限公司',
    admins: [{ login: 'ada', name: '孙雅', role: 'admin' }],
    teams: [
      {
        name: '华东组',
        manager: { login: 'mia', name: '张敏', role: 'manager' },
        reps: [
          { login: 'ray', name: '李锐', role: 'rep' },
          { login: 'rita', name: '王婷', role: 'rep' },
        ],
      },
      {
        name: '华西组',
        visibility: 'owner',
        manager: { login: 'wes', name: '刘伟', role: 'manager' },
        reps: [
          { login: 'will', name: '赵威', role: 'rep' },
          { login: 'wendy', name: '陈雯', role: 'rep' },
        ],
      },
    ],
  },
  {
    name: '北辰实业有限公司',
    admins: [],
    teams: [
      { name: '北区', manager: { login: 'oscar', name: '吴昊', role: 'manager' }, reps: [{ login: 'olga', name: '徐静', role: 'rep' }] },
    ],
  },
];

export const DEMO_LOGINS = TENANTS.flatMap((t) => [
  ...t.admins.map((u) => ({ ...u, team: null, tenant: t.name })),
  ...t.teams.flatMap((team) => [team.manager, ...team.reps].map((u) => ({ ...u, team: team.name, tenant: t.name }))),
]);

const STAGES = [
  { key: 'lead', name: 'Lead', probability: 10, outcome: 'open' },
  { key: 'qualified', name: 'Qualified', probability: 25, outcome: 'open' },
  { key: 'proposal', name: 'Proposal', probability: 50, outcome: 'open' },
  { key: 'negotiation', name: 'Negotiation', probability: 75, outcome: 'open' },
  { key: 'won', name: 'Won', probability: 100, outcome: 'won' },
  { key: 'lost', name: 'Lost', probability: 0, outcome: 'lost' },
] as const;

/** A seeded team: its people and stages, for the records written afterwards through the services. */
export interface DemoTeamSeed {
  teamId: number;
  managerId: number;
  repIds: number[];
  /** stage ids in pipeline order */
  stageIds: number[];
  /** Set by the manager through the team settings service once the records are written. */
  visibility: Visibility;
}

/**
 * Seeds what no service writes (tenants, teams, people, stages); the customers, deals, tasks and
 * history are written by the server's own services (realtime-server/src/seed). Answers null when a
 * tenant already exists.
 */
export async function seedDemoOrganisation(db: Database): Promise<DemoTeamSeed[] | null> {
  if ((await db.models.Tenant.count()) > 0) return null;
  return createOrganisation(db, TENANTS);
}

/** Tenants with their admins, teams, people and the standard stages, in one transaction. */
export async function createOrganisation(db: Database, tenants: DemoTenant[]): Promise<DemoTeamSeed[]> {
  const { models: m } = db;
  return db.sequelize.transaction(async (transaction) => {
    const seeded: DemoTeamSeed[] = [];
    for (const tenant of tenants) {
      const row = await m.Tenant.create({ name: tenant.name, timeZone: 'Asia/Shanghai' }, { transaction });
      for (const admin of tenant.admins) await m.User.create({ tenantId: row.id, teamId: null, ...admin }, { transaction });
      for (const team of tenant.teams) {
        const teamRow = await m.Team.create({ tenantId: row.id, name: team.name }, { transaction });
        const users = await m.User.bulkCreate(
          [team.manager, ...team.reps].map((u) => ({ tenantId: row.id, teamId: teamRow.id, ...u })),
          { transaction },
        );
        const stages = await m.Stage.bulkCreate(
          STAGES.map((s, i) => ({ teamId: teamRow.id, ...s, position: i })),
          { transaction },
        );
        seeded.push({
          teamId: teamRow.id,
          managerId: users[0]!.id,
          repIds: users.slice(1).map((u) => u.id),
          stageIds: stages.map((s) => s.id),
          visibility: team.visibility ?? 'team',
        });
      }
    }
    return seeded;
  });
}
