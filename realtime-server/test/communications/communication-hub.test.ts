import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse, Task } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let rita: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode();
  [ray, rita] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'rita')]);
});
afterAll(() => node.stop());

const count = async (sql: string, replacements: Record<string, unknown> = {}) => {
  const [rows] = await node.cluster.db.sequelize.query(sql, { replacements });
  return (rows as Array<{ n: number }>)[0]!.n;
};
const eventsOfType = (type: string) => count('SELECT count(*)::int AS n FROM team_events WHERE type = :type', { type });
let phones = 0;
const fresh = async (name: string) => {
  const res = await ray.send('POST', '/api/crm/customers', { name, phone: `1880000${String(++phones).padStart(4, '0')}` });
  expect(res.status).toBe(201);
  return res.body.customer as Customer;
};
const customer = async (id: number) => (await ray.get(`/api/crm/customers/${id}`)).body.customer as Customer;

describe('notes', () => {
  it('adds a note (201) that shows newest first, and a retried note never appears twice', async () => {
    const c = await fresh('笔记客户');
    const first = await ray.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '第一条' });
    expect(first.status).toBe(201);
    expect(first.body.note).toMatchObject({ customerId: c.id, authorId: ray.user.id, authorName: ray.user.name, content: '第一条' });
    const events = await eventsOfType('customer:note-added');
    const headers = { 'Idempotency-Key': 'note-retry-000001' };
    const a = await rita.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '客户要样品' }, headers);
    const b = await rita.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '客户要样品' }, headers);
    expect(b.status).toBe(201);
    expect(b.body.note).toEqual(a.body.note);
    const notes = (await ray.get(`/api/crm/customers/${c.id}/notes`)).body.notes;
    expect(notes.map((n: { content: string }) => n.content)).toEqual(['客户要样品', '第一条']);
    expect(await eventsOfType('customer:note-added')).toBe(events + 1);
  });

  it('refuses an empty note with 400 and writes nothing; a note is not a contact', async () => {
    const c = await fresh('空笔记');
    const res = await ray.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '  ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    expect((await ray.get(`/api/crm/customers/${c.id}/notes`)).body.notes).toEqual([]);
    await ray.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '记一笔' });
    expect((await customer(c.id)).lastContactAt).toBeNull();
  });
});

describe('communications, messages and activities', () => {
  it("logs a call (201) with the customer's number, updates lastContactAt, and a retried log never appears twice", async () => {
    const c = await fresh('电话客户');
    const headers = { 'Idempotency-Key': 'call-log-retry-0001' };
    const body = { customerId: c.id, type: 'call', direction: 'outbound', status: 'initiated' };
    const a = await ray.send('POST', '/api/crm/communications', body, headers);
    const b = await ray.send('POST', '/api/crm/communications', body, headers);
    expect(a.status).toBe(201);
    expect(a.body.communication).toMatchObject({ customerId: c.id, userId: ray.user.id, status: 'initiated', phoneNumber: c.phone });
    expect(b.body.communication).toEqual(a.body.communication);
    expect((await ray.get(`/api/crm/customers/${c.id}/communications`)).body.communications).toHaveLength(1);
    expect((await customer(c.id)).lastContactAt).toBe(a.body.communication.createdAt);
  });

  it('a failed or missed call is on the timeline but is not a contact', async () => {
    const c = await fresh('未接通');
    for (const status of ['failed', 'missed']) {
      const res = await ray.send('POST', '/api/crm/communications', {
        customerId: c.id,
        type: 'call',
        direction: 'outbound',
        status,
        error: 'no answer',
      });
      expect(res.status).toBe(201);
    }
    expect((await customer(c.id)).lastContactAt).toBeNull();
    const list = (await ray.get(`/api/crm/customers/${c.id}/communications`)).body.communications;
    expect(list.map((x: { status: string }) => x.status)).toEqual(['missed', 'failed']);
  });

  it('a message (201, success) and a contact-type activity update lastContactAt; the customer moves to the top of the list', async () => {
    const c = await fresh('消息客户');
    const msg = await ray.send('POST', '/api/crm/messages', { customerId: c.id, message: '您好，报价已发送' });
    expect(msg.status).toBe(201);
    expect(msg.body).toMatchObject({
      success: true,
      message: { customerId: c.id, senderName: ray.user.name, type: 'text', content: '您好，报价已发送' },
    });
    expect((await customer(c.id)).lastContactAt).toBe(msg.body.message.createdAt);
    const top = (await ray.get<CustomerListResponse>('/api/crm/customers?limit=1')).body.customers[0]!;
    expect(top.id).toBe(c.id);

    const d = await fresh('拜访客户');
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const visit = await ray.send('POST', '/api/crm/activities', {
      customerId: d.id,
      type: 'visit',
      content: '上门拜访',
      occurredAt,
      location: { latitude: 31.23, longitude: 121.47 },
    });
    expect(visit.status).toBe(201);
    expect(visit.body.activity).toMatchObject({ customerId: d.id, actorName: ray.user.name, type: 'visit', occurredAt });
    expect((await customer(d.id)).lastContactAt).toBe(occurredAt);
    await ray.send('POST', '/api/crm/activities', { customerId: d.id, type: 'other', content: '整理资料' });
    expect((await customer(d.id)).lastContactAt).toBe(occurredAt);
  });

  it('lists activities newest first, and refuses a stage-change, a foreign deal and a bad body with 400', async () => {
    const c = await fresh('时间线');
    const at = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    for (const [h, content] of [
      [5, '最早'],
      [1, '最新'],
      [3, '中间'],
    ] as const) {
      await ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'call', content, occurredAt: at(h) });
    }
    const activities = (await ray.get(`/api/crm/customers/${c.id}/activities?limit=2`)).body.activities;
    expect(activities.map((a: { content: string }) => a.content)).toEqual(['最新', '中间']);
    const before = await eventsOfType('activity:created');
    const pipeline = (await ray.get('/api/crm/pipeline')).body;
    const foreignDeal = pipeline.opportunities.find((o: { customerId: number }) => o.customerId !== c.id).id;
    for (const body of [
      { customerId: c.id, type: 'stage-change', content: 'x' },
      { customerId: c.id, type: 'call', content: 'x', opportunityId: foreignDeal },
      { customerId: c.id, type: 'call' },
      { customerId: 'abc', type: 'call', content: 'x' },
      { customerId: c.id, type: 'call', content: 'x', occurredAt: 'yesterday' },
    ]) {
      const res = await ray.send('POST', '/api/crm/activities', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    expect(await eventsOfType('activity:created')).toBe(before);
  });

  it('answers malformed JSON with 400, and a customer of another tenant with 404', async () => {
    for (const path of ['/api/crm/activities', '/api/crm/messages', '/api/crm/communications', '/api/crm/follow-ups']) {
      const res = await http(node.url, 'POST', path, { token: ray.token, raw: '{"customerId": 1,' });
      expect(res.status, path).toBe(400);
    }
    const olga = await signIn(node.url, 'olga');
    const theirs = (await olga.get<CustomerListResponse>('/api/crm/customers?limit=1')).body.customers[0]!;
    const before = (await olga.get(`/api/crm/customers/${theirs.id}/messages`)).body.messages;
    const res = await ray.send('POST', '/api/crm/messages', { customerId: theirs.id, message: 'hi' });
    expect(res.status).toBe(404);
    expect((await olga.get(`/api/crm/customers/${theirs.id}/messages`)).body.messages).toEqual(before);
  });
});

describe('POST /api/crm/follow-ups', () => {
  it('creates the follow-up and a task due then, reminder 30 minutes before, assigned to the caller, announced as task:created', async () => {
    const c = await fresh('跟进客户');
    const scheduledDate = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const before = await eventsOfType('task:created');
    const res = await ray.send('POST', '/api/crm/follow-ups', {
      customerId: c.id,
      scheduledDate,
      notes: '确认样品反馈',
      assigneeId: rita.user.id,
    });
    expect(res.status).toBe(201);
    const { followUp, task } = res.body as { followUp: { id: number; taskId: number; scheduledAt: string; notes: string }; task: Task };
    expect(res.body.success).toBe(true);
    expect(followUp).toMatchObject({
      customerId: c.id,
      userId: ray.user.id,
      taskId: task.id,
      scheduledAt: scheduledDate,
      notes: '确认样品反馈',
    });
    expect(task).toMatchObject({
      customerId: c.id,
      type: 'follow-up',
      status: 'pending',
      assigneeId: ray.user.id,
      createdById: ray.user.id,
      dueAt: scheduledDate,
      remindAt: new Date(Date.parse(scheduledDate) - 30 * 60_000).toISOString(),
      description: '确认样品反馈',
    });
    expect(await eventsOfType('task:created')).toBe(before + 1);
    const feed = (await ray.get('/api/crm/team/feed?limit=1')).body.events[0];
    expect(feed).toMatchObject({ type: 'task:created', actorId: ray.user.id, data: { task: { id: task.id } } });
  });

  it("stores the task's title as a key each phone writes in its language; a typed title replaces it", async () => {
    const c = await fresh('钱多多');
    const scheduledDate = new Date(Date.now() + 86_400_000).toISOString();
    const { task } = (await ray.send('POST', '/api/crm/follow-ups', { customerId: c.id, scheduledDate })).body as { task: Task };
    expect(task).toMatchObject({ title: '跟进 钱多多', titleKey: 'follow-up', titleParams: { customer: '钱多多' } });
    // Another field edited: the title stays the server's.
    const moved = (await ray.send('PUT', `/api/crm/tasks/${task.id}`, { priority: 'high', title: task.title, version: task.version })).body
      .task as Task;
    expect(moved).toMatchObject({ priority: 'high', titleKey: 'follow-up', titleParams: { customer: '钱多多' } });
    const typed = (await ray.send('PUT', `/api/crm/tasks/${task.id}`, { title: 'Call about samples', version: moved.version })).body
      .task as Task;
    expect(typed).toMatchObject({ title: 'Call about samples', titleKey: null, titleParams: null });
  });

  it('commits the task and the follow-up together or not at all', async () => {
    const c = await fresh('原子跟进');
    const tasks = () => count('SELECT count(*)::int AS n FROM tasks WHERE customer_id = :id', { id: c.id });
    // A real database failure on the second insert, injected with a trigger in this test's own database.
    await node.cluster.db.sequelize.query(`
      CREATE FUNCTION refuse_follow_up() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.notes = 'refuse me' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_follow_up BEFORE INSERT ON follow_ups FOR EACH ROW EXECUTE FUNCTION refuse_follow_up();`);
    const events = await eventsOfType('task:created');
    const res = await ray.send('POST', '/api/crm/follow-ups', {
      customerId: c.id,
      scheduledDate: new Date(Date.now() + 86_400_000).toISOString(),
      notes: 'refuse me',
    });
    expect(res.status).toBe(500);
    expect(await tasks()).toBe(0);
    expect(await eventsOfType('task:created')).toBe(events);
  });

  it('writes neither row when the follow-up is refused, and a retry creates one task', async () => {
    const c = await fresh('过去的跟进');
    const tasks = () => count('SELECT count(*)::int AS n FROM tasks WHERE customer_id = :id', { id: c.id });
    const past = await ray.send('POST', '/api/crm/follow-ups', {
      customerId: c.id,
      scheduledDate: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details.fields[0].path).toBe('scheduledDate');
    expect(await tasks()).toBe(0);
    const headers = { 'Idempotency-Key': 'follow-up-retry-01' };
    const body = { customerId: c.id, scheduledDate: new Date(Date.now() + 86_400_000).toISOString() };
    const [a, b] = [
      await ray.send('POST', '/api/crm/follow-ups', body, headers),
      await ray.send('POST', '/api/crm/follow-ups', body, headers),
    ];
    expect(b.body).toEqual(a.body);
    expect(await tasks()).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM follow_ups WHERE customer_id = :id', { id: c.id })).toBe(1);
  });
});
