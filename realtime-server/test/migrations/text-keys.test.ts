import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import { cloneDatabase } from '../support/databases.js';

let database: Awaited<ReturnType<typeof cloneDatabase>>;
let db: Database;

beforeAll(async () => {
  database = await cloneDatabase(inject('templateDb'));
  db = createDatabase({ url: database.url, poolMax: 2 });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const rows = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
  db.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
const one = async <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => (await rows<T>(sql, replacements))[0]!;

describe('migration 0008-text-keys', () => {
  it('keys what the server wrote in Chinese before it, and goes down and up again without losing rows', async () => {
    const migrator = createMigrator(db.sequelize);
    await migrator.down({ to: '0008-text-keys' });
    // Rows as the server wrote them before: stage names, Chinese notification text, a follow-up's title.
    const { team_id: teamId, tenant_id: tenantId } = await one<{ team_id: number; tenant_id: number }>(
      `SELECT s.team_id, t.tenant_id FROM stages s JOIN teams t ON t.id = s.team_id ORDER BY s.id LIMIT 1`,
    );
    await db.sequelize.query(
      `INSERT INTO stages (team_id, name, probability, position, outcome) VALUES (${teamId}, '样品测试', 40, 99, 'open')`,
    );
    const { id: userId } = await one<{ id: number }>(`SELECT id FROM users WHERE team_id = ${teamId} ORDER BY id LIMIT 1`);
    const { id: customerId, name } = await one<{ id: number; name: string }>(
      `SELECT id, name FROM customers WHERE team_id = ${teamId} ORDER BY id LIMIT 1`,
    );
    await db.sequelize.query(`INSERT INTO notifications (tenant_id, user_id, kind, title, body, created_at)
      VALUES (${tenantId}, ${userId}, 'task-assigned', '米娅 给你分配了任务', '拜访客户', now())`);
    const { id: taskId } = await one<{ id: number }>(
      `INSERT INTO tasks (tenant_id, team_id, customer_id, title, type, priority, status,
        created_by_id, version, created_at, updated_at)
      VALUES (${tenantId}, ${teamId}, ${customerId}, :title, 'follow-up', 'medium', 'pending', ${userId}, 1, now(), now()) RETURNING id`,
      { title: `跟进 ${name}` },
    );
    await db.sequelize.query(`INSERT INTO follow_ups (tenant_id, team_id, customer_id, user_id, task_id, scheduled_at, created_at)
      VALUES (${tenantId}, ${teamId}, ${customerId}, ${userId}, ${taskId}, now(), now())`);

    await migrator.up();

    const stages = await db.models.Stage.findAll({ where: { teamId }, order: [['position', 'ASC']] });
    expect(stages.map((s) => [s.name, s.key])).toEqual([
      ['Lead', 'lead'],
      ['Qualified', 'qualified'],
      ['Proposal', 'proposal'],
      ['Negotiation', 'negotiation'],
      ['Won', 'won'],
      ['Lost', 'lost'],
      ['样品测试', null],
    ]);
    const old = (await db.models.Notification.findOne({ where: { userId, title: '米娅 给你分配了任务' } }))!.toDto();
    expect(old).toMatchObject({ kind: 'task-assigned', params: {}, title: '米娅 给你分配了任务', body: '拜访客户' });
    expect((await db.models.Task.findByPk(taskId))!.toDto()).toMatchObject({
      title: `跟进 ${name}`,
      titleKey: 'follow-up',
      titleParams: { customer: name },
    });

    // Down again: a notification stored as kind and params keeps a title, and nothing is lost.
    await db.models.Notification.create({
      tenantId,
      userId,
      kind: 'task-assigned',
      params: { actorName: 'x', task: { title: 't', titleKey: null, titleParams: null } },
      link: null,
    });
    const count = async () => (await one<{ n: number }>('SELECT count(*)::int AS n FROM notifications')).n;
    const before = await count();
    await migrator.down({ to: '0008-text-keys' });
    expect(await count()).toBe(before);
    expect(await rows('SELECT id FROM notifications WHERE title IS NULL OR body IS NULL')).toEqual([]);
    await migrator.up();
  });
});
