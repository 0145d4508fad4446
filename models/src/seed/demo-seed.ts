import type { Transaction } from 'sequelize';
import type { ActivityType, CustomerStatus, Role, TaskType } from '@live-crm/shared-types';
import type { Database } from '../db.js';

interface DemoUser { login: string; name: string; role: Role }
interface DemoTeam { name: string; manager: DemoUser; reps: DemoUser[] }
interface DemoTenant { name: string; admins: DemoUser[]; teams: DemoTeam[] }

const TENANTS: DemoTenant[] = [
  {
    name: 'Demo Trading Co.',
    admins: [{ login: 'ada', name: 'Ada Sun', role: 'admin' }],
    teams: [
      { name: 'East', manager: { login: 'mia', name: 'Mia Zhang', role: 'manager' },
        reps: [{ login: 'ray', name: 'Ray Li', role: 'rep' }, { login: 'rita', name: 'Rita Wang', role: 'rep' }] },
      { name: 'West', manager: { login: 'wes', name: 'Wes Liu', role: 'manager' },
        reps: [{ login: 'will', name: 'Will Zhao', role: 'rep' }] },
    ],
  },
  {
    name: 'Other Corp',
    admins: [],
    teams: [
      { name: 'North', manager: { login: 'oscar', name: 'Oscar Wu', role: 'manager' },
        reps: [{ login: 'olga', name: 'Olga Xu', role: 'rep' }] },
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

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '婷', '欣怡'];
const CITIES = ['上海', '杭州', '苏州', '南京', '深圳', '广州', '成都', '武汉'];
const TRADES = ['明达贸易', '华信科技', '远航物流', '金桥建材', '瑞丰食品', '博雅文化', '恒通机电', '新禾农业'];
const STATUSES: CustomerStatus[] = ['lead', 'prospect', 'active', 'inactive'];
const DEAL_TITLES = ['年度采购框架协议', '仓储系统升级', '华东区域代理', '设备批量订购', '季度补货合同', '定制包装方案'];
const ACTIVITY_TYPES: ActivityType[] = ['call', 'meeting', 'email', 'visit', 'note'];
const TASK_TYPES: TaskType[] = ['call', 'follow-up', 'meeting', 'email'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

/** Midnight today in Asia/Shanghai (no DST there), as an absolute time. */
function startOfShanghaiDay(now: number): number {
  return Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
}

/** Seeds the contract's demo data; does nothing when a tenant already exists. */
export async function seedDemo(db: Database, now = Date.now()): Promise<boolean> {
  if ((await db.models.Tenant.count()) > 0) return false;
  await db.sequelize.transaction(async (tx) => {
    let teamIndex = 0;
    for (const tenant of TENANTS) {
      const row = await db.models.Tenant.create({ name: tenant.name, timeZone: 'Asia/Shanghai' }, { transaction: tx });
      for (const admin of tenant.admins) {
        await db.models.User.create({ tenantId: row.id, teamId: null, ...admin }, { transaction: tx });
      }
      for (const team of tenant.teams) {
        await seedTeam(db, tx, row.id, team, teamIndex++, now);
      }
    }
  });
  return true;
}

async function seedTeam(db: Database, tx: Transaction, tenantId: number, team: DemoTeam, n: number, now: number): Promise<void> {
  const { models: m } = db;
  const t = { transaction: tx };
  const teamRow = await m.Team.create({ tenantId, name: team.name }, t);
  const teamId = teamRow.id;
  const users = await m.User.bulkCreate([team.manager, ...team.reps].map((u) => ({ tenantId, teamId, ...u })), t);
  const reps = users.filter((u) => u.role === 'rep');
  const stages = await m.Stage.bulkCreate(STAGES.map((s, i) => ({ teamId, ...s, position: i })), t);
  const customers = await m.Customer.bulkCreate(
    Array.from({ length: 24 }, (_, i) => {
      const k = i + n * 7;
      const created = now - (60 - i) * DAY;
      return {
        tenantId, teamId,
        name: `${SURNAMES[k % SURNAMES.length]}${GIVEN[(k * 5) % GIVEN.length]}`,
        company: `${CITIES[k % CITIES.length]}${TRADES[(k * 3) % TRADES.length]}有限公司`,
        phone: `13${String(800000000 + n * 1000 + i).padStart(9, '0')}`,
        email: `contact${n}x${i}@example.cn`,
        status: STATUSES[i % STATUSES.length]!,
        ownerId: reps[i % reps.length]!.id,
        address: `${CITIES[k % CITIES.length]}市 ${i + 1} 号`,
        lastContactAt: i % 5 === 4 ? null : new Date(now - (i % 9) * DAY - i * HOUR),
        createdAt: new Date(created), updatedAt: new Date(created),
      };
    }),
    t,
  );
  await m.Opportunity.bulkCreate(
    Array.from({ length: 12 }, (_, i) => {
      const stage = stages[i % stages.length]!;
      const closed = stage.outcome !== 'open';
      return {
        tenantId, teamId, customerId: customers[i]!.id,
        title: DEAL_TITLES[i % DEAL_TITLES.length]!,
        valueCents: (20_000 + ((i * 37_000) % 480_000)) * 100,
        stageId: stage.id, ownerId: reps[i % reps.length]!.id,
        expectedCloseDate: new Date(now + (i + 1) * 7 * DAY).toISOString().slice(0, 10),
        closedAt: closed ? new Date(now - i * DAY) : null,
        createdAt: new Date(now - (40 + i) * DAY), updatedAt: new Date(now - i * DAY),
      };
    }),
    t,
  );
  const today = startOfShanghaiDay(now);
  const dueTimes = [today - DAY + 15 * HOUR, today + 17 * HOUR, today + 20 * HOUR, today + 7 * DAY + 10 * HOUR];
  await m.Task.bulkCreate(
    dueTimes.flatMap((dueAt, i) => reps.map((rep, r) => ({
      tenantId, teamId, customerId: customers[i + r]!.id,
      title: ['回电确认报价', '发送合同草稿', '安排产品演示', '季度回访'][i]!,
      description: null, type: TASK_TYPES[i % TASK_TYPES.length]!, priority: i === 0 ? 'high' as const : 'medium' as const,
      dueAt: new Date(dueAt), remindAt: new Date(dueAt - 30 * 60_000),
      // Reminders already in the past count as sent, so a fresh server does not fire a burst.
      remindedAt: dueAt - 30 * 60_000 < now ? new Date(now) : null,
      assigneeId: rep.id, createdById: users[0]!.id,
    }))),
    t,
  );
  await m.Activity.bulkCreate(
    Array.from({ length: 30 }, (_, i) => ({
      tenantId, teamId, customerId: customers[i % customers.length]!.id, opportunityId: null,
      actorId: users[i % users.length]!.id, type: ACTIVITY_TYPES[i % ACTIVITY_TYPES.length]!,
      content: ['电话沟通了采购需求', '上门拜访，介绍新品', '邮件发送报价单', '现场考察仓库', '客户希望下周再联系'][i % 5]!,
      occurredAt: new Date(now - i * 11 * HOUR),
    })),
    t,
  );
}
