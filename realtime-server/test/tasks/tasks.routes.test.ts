import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TasksResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { signInAll, type Session } from './sessions.js';
import { startTestNode } from '../support/nodes.js';
import { DAY, clearOfMidnight, startOfDay } from '../notifications/until.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Session;
let rita: Session;
let mia: Session;
let olga: Session;
let customerId: number;

const HOUR = 3_600_000;

beforeAll(async () => {
  // 北辰实业有限公司's own time zone is blank, so TZ_DEFAULT (Honolulu, UTC-10) applies to it.
  node = await startTestNode({ env: { TZ_DEFAULT: 'Pacific/Honolulu', RATE_LIMIT_BURST: '1000' } });
  await node.cluster.db.sequelize.query("UPDATE tenants SET time_zone = '' WHERE name = '北辰实业有限公司'");
  [ray, rita, mia, olga] = await signInAll(node.url, ['ray', 'rita', 'mia', 'olga']);
  customerId = (await ray.get('/api/crm/pipeline')).body.opportunities[0].customerId;
});
afterAll(() => node.stop());

async function create(who: Session, body: Record<string, unknown>): Promise<Task> {
  const res = await who.send('POST', '/api/crm/tasks', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.task;
}
const at = (ms: number) => new Date(ms).toISOString();
const ids = async (who: Session, query: string) =>
  new Set((await who.get<TasksResponse>(`/api/crm/tasks?${query}`)).body.tasks.map((t) => t.id));

describe('POST /api/crm/tasks', () => {
  it('creates a task for the caller in their own team, ignoring team and tenant ids in the body', async () => {
    const res = await ray.send('POST', '/api/crm/tasks', {
      title: '回电',
      type: 'call',
      priority: 'high',
      customerId,
      dueAt: at(Date.now() + HOUR),
      teamId: 999,
      tenantId: 999,
      createdById: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      task: {
        title: '回电',
        type: 'call',
        priority: 'high',
        status: 'pending',
        teamId: ray.user.teamId,
        assigneeId: ray.user.id,
        createdById: ray.user.id,
        customerId,
        version: 1,
        completedAt: null,
      },
    });
  });

  it('refuses a customer of another tenant (404) and a rep assigning a teammate (403)', async () => {
    const theirs = (await olga.get('/api/crm/pipeline')).body.opportunities[0].customerId;
    expect((await ray.send('POST', '/api/crm/tasks', { title: 'x', customerId: theirs })).status).toBe(404);
    const res = await ray.send('POST', '/api/crm/tasks', { title: 'x', assigneeId: rita.user.id });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('lets a manager create for a team member, and refuses an assignee of another team with 400', async () => {
    const task = await create(mia, { title: '准备报价', assigneeId: rita.user.id });
    expect(task).toMatchObject({ assigneeId: rita.user.id, createdById: mia.user.id });
    const bad = await mia.send('POST', '/api/crm/tasks', { title: 'x', assigneeId: olga.user.id });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('assigneeId');
  });

  it('rejects a bad body with 400 naming the field', async () => {
    const res = await ray.send('POST', '/api/crm/tasks', { title: '', dueAt: 'tomorrow', type: 'party' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/title/);
    expect(res.body.error.message).toMatch(/dueAt/);
    expect(res.body.error.message).toMatch(/type/);
  });

  it('repeats an Idempotency-Key with one effect', async () => {
    const headers = { 'Idempotency-Key': 'create-task-0001' };
    const body = { title: 'Retry me once' };
    const a = await ray.send('POST', '/api/crm/tasks', body, headers);
    const b = await ray.send('POST', '/api/crm/tasks', body, headers);
    expect(b.body.task.id).toBe(a.body.task.id);
    const all = (await ray.get<TasksResponse>('/api/crm/tasks?view=all&limit=500')).body.tasks;
    expect(all.filter((t) => t.title === 'Retry me once')).toHaveLength(1);
  });
});

describe('PUT /api/crm/tasks/:id', () => {
  it('edits with version, stamps completedAt on completion and clears it on reopening', async () => {
    const task = await create(ray, { title: 'Edit me' });
    const done = await rita.send('PUT', `/api/crm/tasks/${task.id}`, { status: 'completed', description: 'done', version: 1 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ success: true, task: { status: 'completed', description: 'done', version: 2 } });
    expect(Date.parse(done.body.task.completedAt)).toBeGreaterThan(Date.now() - 60_000);
    const reopened = await ray.send('PUT', `/api/crm/tasks/${task.id}`, { status: 'in_progress', version: 2 });
    expect(reopened.body.task).toMatchObject({ status: 'in_progress', completedAt: null, version: 3 });
  });

  it('answers a stale version with 409 and the fresh task', async () => {
    const task = await create(ray, { title: 'Race me' });
    await rita.send('PUT', `/api/crm/tasks/${task.id}`, { title: 'Rita was first', version: 1 });
    const stale = await ray.send('PUT', `/api/crm/tasks/${task.id}`, { title: 'Ray too late', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ id: task.id, title: 'Rita was first', version: 2 });
  });

  it('sends reassignment to the assign endpoint, and an unchanged assigneeId passes', async () => {
    const task = await create(ray, { title: 'Mine' });
    const moved = await ray.send('PUT', `/api/crm/tasks/${task.id}`, { assigneeId: rita.user.id, version: 1 });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toContain('/assign');
    const same = await ray.send('PUT', `/api/crm/tasks/${task.id}`, { assigneeId: ray.user.id, title: 'Still mine', version: 1 });
    expect(same.body.task).toMatchObject({ title: 'Still mine', assigneeId: ray.user.id });
  });

  it("answers 404 for another tenant's task and changes nothing", async () => {
    const theirs = await create(olga, { title: 'Olga only' });
    expect((await ray.send('PUT', `/api/crm/tasks/${theirs.id}`, { title: 'hijack', version: 1 })).status).toBe(404);
    expect((await ray.get(`/api/crm/tasks/${theirs.id}`)).status).toBe(404);
    expect((await olga.get(`/api/crm/tasks/${theirs.id}`)).body.task.title).toBe('Olga only');
  });
});

describe('GET /api/crm/tasks views in the tenant time zone', () => {
  it('puts 00:30 and 23:30 Shanghai time in today, yesterday 23:30 in overdue, tomorrow 00:30 in upcoming', async () => {
    await clearOfMidnight(8);
    const today = startOfDay(8);
    const due = async (ms: number, extra: Record<string, unknown> = {}) =>
      (await create(ray, { title: `tz ${new Date(ms).toISOString()}`, dueAt: at(ms), ...extra })).id;
    const earlyToday = await due(today + 0.5 * HOUR); // 16:30 UTC the previous UTC day
    const lateToday = await due(today + 23.5 * HOUR); // 15:30 UTC the same day
    const lateYesterday = await due(today - 0.5 * HOUR);
    const doneYesterday = await due(today - 0.5 * HOUR);
    await ray.send('PUT', `/api/crm/tasks/${doneYesterday}`, { status: 'completed', version: 1 });
    const earlyTomorrow = await due(today + DAY + 0.5 * HOUR);
    const inAWeek = await due(today + 7 * DAY + 12 * HOUR);
    const inEightDays = await due(today + 8 * DAY + 12 * HOUR);

    const todayIds = await ids(ray, 'view=today');
    expect([earlyToday, lateToday].every((id) => todayIds.has(id))).toBe(true);
    expect([lateYesterday, earlyTomorrow].some((id) => todayIds.has(id))).toBe(false);

    const overdue = await ids(ray, 'view=overdue');
    expect(overdue.has(lateYesterday)).toBe(true);
    expect(overdue.has(doneYesterday)).toBe(false);
    expect(overdue.has(earlyToday)).toBe(false);

    const upcoming = await ids(ray, 'view=upcoming');
    expect([earlyTomorrow, inAWeek].every((id) => upcoming.has(id))).toBe(true);
    expect([lateToday, inEightDays].some((id) => upcoming.has(id))).toBe(false);
    expect((await ids(ray, 'view=upcoming&days=8')).has(inEightDays)).toBe(true);
  });

  it('uses TZ_DEFAULT for a tenant without its own zone (Honolulu, UTC-10)', async () => {
    await clearOfMidnight(-10);
    const today = startOfDay(-10);
    const lateToday = await create(olga, { title: 'hnl late', dueAt: at(today + 23.5 * HOUR) });
    const earlyTomorrow = await create(olga, { title: 'hnl tomorrow', dueAt: at(today + DAY + 0.5 * HOUR) });
    const todayIds = await ids(olga, 'view=today');
    expect(todayIds.has(lateToday.id)).toBe(true);
    expect(todayIds.has(earlyTomorrow.id)).toBe(false);
    expect((await ids(olga, 'view=upcoming&days=1')).has(earlyTomorrow.id)).toBe(true);
  });

  it('filters by status, assignee and customer; sorts by due time', async () => {
    const task = await create(mia, { title: 'for rita', assigneeId: rita.user.id, customerId, dueAt: at(Date.now() + 3 * DAY) });
    const mine = (await rita.get<TasksResponse>(`/api/crm/tasks?view=all&assigneeId=${rita.user.id}&status=pending`)).body.tasks;
    expect(mine.map((t) => t.id)).toContain(task.id);
    expect(mine.every((t) => t.assigneeId === rita.user.id && t.status === 'pending')).toBe(true);
    const dues = mine.filter((t) => t.dueAt).map((t) => Date.parse(t.dueAt!));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const byCustomer = (await ray.get<TasksResponse>(`/api/crm/tasks?customerId=${customerId}`)).body.tasks;
    expect(byCustomer.length).toBeGreaterThan(0);
    expect(byCustomer.every((t) => t.customerId === customerId)).toBe(true);
  });

  it('rejects operator objects and unknown filters with 400', async () => {
    for (const q of [
      'dueDate[$gte]=2020-01-01',
      'status[$ne]=completed',
      'view=someday',
      'assigneeId=me',
      'days=0',
      'status=pending&status=completed',
    ]) {
      const res = await ray.get(`/api/crm/tasks?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('shows a team only its own tasks; an admin sees every team of the tenant, or one', async () => {
    const rays = (await ray.get<TasksResponse>('/api/crm/tasks?limit=500')).body.tasks;
    expect(rays.every((t) => t.teamId === ray.user.teamId)).toBe(true);
    const rayAsksNorth = (await ray.get<TasksResponse>(`/api/crm/tasks?teamId=${olga.user.teamId}&limit=500`)).body.tasks;
    expect(rayAsksNorth.map((t) => t.id)).toEqual(rays.map((t) => t.id)); // a rep's teamId is ignored
    const ada = await signIn(node.url, 'ada');
    const all = (await ada.get<TasksResponse>('/api/crm/tasks?limit=500')).body.tasks;
    expect(new Set(all.map((t) => t.teamId)).size).toBe(2);
    const east = (await ada.get<TasksResponse>(`/api/crm/tasks?teamId=${ray.user.teamId}&limit=500`)).body.tasks;
    expect(east.length).toBeGreaterThan(0);
    expect(east.every((t) => t.teamId === ray.user.teamId)).toBe(true);
    expect((await ada.get(`/api/crm/tasks?teamId=${olga.user.teamId}`)).status).toBe(404);
  });
});
