import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import type { NotificationPayload } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { phoneBook, type Session } from '../tasks/sessions.js';
import { startCluster, startNodeOn, type TestCluster } from '../support/nodes.js';
import type { WeappClient } from '../support/weapp.js';
import { startFakeWechat, type FakeWechat } from './fake-wechat.js';
import { sleep, until } from './until.js';

const TEMPLATE = 'tpl-task-reminder';

let wechat: FakeWechat;
let cluster: TestCluster;
let env: Record<string, string>;
const { phone, closeAll } = phoneBook();

beforeAll(async () => {
  wechat = await startFakeWechat();
  env = { ...wechat.env(TEMPLATE), REMINDER_INTERVAL_MS: '100', REMINDER_BATCH: '50' };
  cluster = await startCluster(2, { env });
});
afterAll(async () => {
  closeAll();
  await cluster.stop();
  await wechat.close();
});

const urls = () => cluster.nodes.map((n) => n.url) as [string, string];

/** Arranges what earlier sign-ins would have left: a linked WeChat account and some consents. */
async function linkWechat(who: Session, consents: number): Promise<string> {
  const openId = `openid-${who.user.id}-${Date.now()}`;
  await cluster.db.models.User.update({ wechatOpenId: openId }, { where: { id: who.user.id } });
  if (consents > 0) await cluster.db.models.SubscriptionConsent.upsert({ userId: who.user.id, templateId: TEMPLATE, remaining: consents });
  return openId;
}

/** Tasks whose reminders are already due, written in one commit so both nodes race for them. */
async function dueTasks(who: Session, count: number, title: string) {
  const remindAt = new Date(Date.now() - 1000);
  const rows = await cluster.db.models.Task.bulkCreate(
    Array.from({ length: count }, (_, i) => ({
      tenantId: who.user.tenantId,
      teamId: who.user.teamId!,
      customerId: null,
      title: `${title} ${i + 1}`,
      description: null,
      dueAt: new Date(Date.now() + 3_600_000),
      remindAt,
      assigneeId: who.user.id,
      createdById: who.user.id,
    })),
  );
  return rows.map((r) => r.id);
}

const notificationsOf = (userId: number, kind = 'task-reminder') => cluster.db.models.Notification.findAll({ where: { userId, kind } });
const linkedTask = (n: { link: string | null }) => Number(n.link?.split('id=')[1]);
const sentTo = (openId: string) => wechat.sent.filter((m) => m.touser === openId);

describe('reminder scheduler on two nodes', () => {
  it('fires 200 due reminders exactly once each: one notification, one socket event, one message per consent', async () => {
    const [a, b] = urls();
    const ray = await phone(a, 'ray');
    const rita = await phone(b, 'rita');
    const rayOpenId = await linkWechat(ray, 100);
    const ritaOpenId = await linkWechat(rita, 0);
    const firedBefore = cluster.nodes.map((n) => n.node.reminders.fired());
    const rayTasks = await dueTasks(ray, 120, '回电');
    const ritaTasks = await dueTasks(rita, 80, '回访');
    // More contention than the timers alone: three extra runs per node at once.
    await Promise.all(cluster.nodes.flatMap((n) => [1, 2, 3].map(() => n.node.reminders.runOnce())));

    await until(
      '200 reminders on the phones',
      () => ray.client.received('notification').length >= 120 && rita.client.received('notification').length >= 80,
      10_000,
    );
    await until('100 subscription messages', () => sentTo(rayOpenId).length >= 100, 5000);
    await sleep(500); // several more ticks on both nodes: nothing may fire twice

    const live = (c: WeappClient) =>
      c
        .received('notification')
        .map((n: NotificationPayload) => linkedTask(n))
        .sort((x, y) => x - y);
    expect(live(ray.client)).toEqual(rayTasks);
    expect(live(rita.client)).toEqual(ritaTasks);
    const stored = [...(await notificationsOf(ray.user.id)), ...(await notificationsOf(rita.user.id))].map(linkedTask);
    expect(stored.sort((x, y) => x - y)).toEqual([...rayTasks, ...ritaTasks]);

    const pushed = sentTo(rayOpenId).map((m) => Number(m.page?.split('id=')[1]));
    expect(pushed).toHaveLength(100); // 120 reminders, 100 consents
    expect(new Set(pushed).size).toBe(100);
    expect(pushed.every((id) => rayTasks.includes(id))).toBe(true);
    expect(sentTo(rayOpenId)[0]).toMatchObject({ template_id: TEMPLATE, data: { thing1: { value: expect.stringMatching(/^回电/) } } });
    expect(sentTo(ritaOpenId)).toHaveLength(0); // no consent, no message
    const left = await cluster.db.models.SubscriptionConsent.findOne({ where: { userId: ray.user.id, templateId: TEMPLATE } });
    expect(left?.remaining).toBe(0);
    // Both nodes share the work and one access token.
    expect(wechat.tokensIssued()).toBe(1);
    const firedBy = cluster.nodes.map((n, i) => n.node.reminders.fired() - firedBefore[i]!);
    expect(firedBy[0]! + firedBy[1]!).toBe(200);
    const unclaimed = await cluster.db.models.Task.count({ where: { id: [...rayTasks, ...ritaTasks], remindedAt: null } });
    expect(unclaimed).toBe(0);
  });

  it('spends consents recorded through the API one per message, per user and template', async () => {
    const [a] = urls();
    const mia = await phone(a, 'mia');
    const openId = await linkWechat(mia, 0);
    const consent = (body: unknown, headers?: Record<string, string>) =>
      mia.send('POST', '/api/crm/notifications/subscriptions', body, headers);
    // The client learns which template to ask consent for from the server.
    expect((await mia.get('/api/crm/notifications/subscriptions')).body).toEqual({ templateId: TEMPLATE, remaining: 0 });
    expect((await consent({ templateId: TEMPLATE, accepted: true })).body).toEqual({ templateId: TEMPLATE, accepted: true, remaining: 1 });
    expect((await mia.get('/api/crm/notifications/subscriptions')).body).toEqual({ templateId: TEMPLATE, remaining: 1 });
    const key = { 'Idempotency-Key': 'consent-mia-0002' };
    await consent({ templateId: TEMPLATE, accepted: true }, key);
    expect((await consent({ templateId: TEMPLATE, accepted: true }, key)).body.remaining).toBe(2); // the repeat adds nothing
    expect((await consent({ templateId: TEMPLATE, accepted: false })).body.remaining).toBe(2);
    expect((await consent({ templateId: 'tpl-other', accepted: true })).body.remaining).toBe(1);
    expect((await consent({ templateId: 'bad id!', accepted: true })).status).toBe(400);

    await dueTasks(mia, 3, 'mia');
    await until('three reminders', () => mia.client.received('notification').length >= 3);
    await sleep(300);
    expect(sentTo(openId)).toHaveLength(2);
    expect((await consent({ templateId: TEMPLATE, accepted: false })).body.remaining).toBe(0);
    expect((await consent({ templateId: 'tpl-other', accepted: false })).body.remaining).toBe(1);
  });

  it('keeps the in-app reminder when WeChat refuses the message, and renews an expired token', async () => {
    const [, b] = urls();
    const will = await phone(b, 'will');
    const wes = await phone(b, 'wes');
    const refusedId = await linkWechat(will, 5);
    const okId = await linkWechat(wes, 5);
    wechat.refuse(refusedId);
    wechat.expireTokens();
    const [willTask] = await dueTasks(will, 1, 'refused');
    const [wesTask] = await dueTasks(wes, 1, 'after revoke');
    await until(
      'both reminders live',
      () => will.client.received('notification').length === 1 && wes.client.received('notification').length === 1,
    );
    await until('the message after a token renewal', () => sentTo(okId).length === 1);
    expect(linkedTask(will.client.received('notification')[0])).toBe(willTask);
    expect((await notificationsOf(will.user.id)).map(linkedTask)).toEqual([willTask]);
    expect(sentTo(refusedId)).toHaveLength(0);
    expect(Number(sentTo(okId)[0]!.page?.split('id=')[1])).toBe(wesTask);
  });

  it('never reminds of a completed task, and a new remindAt re-arms a reminder that already fired', async () => {
    const [a] = urls();
    const oscar = await phone(a, 'oscar');
    const create = (body: Record<string, unknown>) => oscar.send('POST', '/api/crm/tasks', body);
    const done = (await create({ title: 'done already', remindAt: new Date(Date.now() + 200).toISOString() })).body.task;
    await oscar.send('PUT', `/api/crm/tasks/${done.id}`, { status: 'completed', version: 1 });
    const task = (await create({ title: 'remind me twice', remindAt: new Date(Date.now() - 1000).toISOString() })).body.task;
    await until('the first reminder', () => oscar.client.received('notification').length === 1);
    const later = new Date(Date.now() + 300).toISOString();
    expect((await oscar.send('PUT', `/api/crm/tasks/${task.id}`, { remindAt: later, version: 1 })).status).toBe(200);
    await until('the re-armed reminder', () => oscar.client.received('notification').length === 2);
    await sleep(400);
    expect(oscar.client.received('notification').map(linkedTask)).toEqual([task.id, task.id]);
  });

  it('reminds of a task with a 200-character title, storing the whole title for the phone to write out', async () => {
    const [a] = urls();
    const wes = await phone(a, 'wes');
    const title = '长'.repeat(200);
    const long = (n: NotificationPayload) => n.kind === 'task-reminder' && n.params.task.title === title;
    await wes.send('POST', '/api/crm/tasks', { title, remindAt: new Date(Date.now() - 1000).toISOString() });
    await until('the reminder', () => wes.client.received('notification').some(long));
    const note = wes.client.received('notification').find(long);
    expect(note).toMatchObject({ title: null, body: null, params: { task: { titleKey: null, titleParams: null }, customerName: null } });
  });

  it('sends follow-up-due for a reminder on a task a follow-up created', async () => {
    const [, b] = urls();
    const rita = await phone(b, 'rita');
    const { Task, FollowUp, Customer } = cluster.db.models;
    const customer = (await Customer.findOne({ where: { teamId: rita.user.teamId! } }))!;
    const dueAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 1_800_000);
    const taskId = await cluster.db.sequelize.transaction(async (transaction) => {
      const task = await Task.create(
        {
          tenantId: rita.user.tenantId,
          teamId: rita.user.teamId!,
          customerId: customer.id,
          title: '电话回访',
          description: null,
          type: 'follow-up',
          dueAt,
          remindAt: new Date(Date.now() - 1000),
          assigneeId: rita.user.id,
          createdById: rita.user.id,
        },
        { transaction },
      );
      await FollowUp.create(
        {
          tenantId: rita.user.tenantId,
          teamId: rita.user.teamId!,
          customerId: customer.id,
          userId: rita.user.id,
          taskId: task.id,
          scheduledAt: task.dueAt!,
          notes: null,
        },
        { transaction },
      );
      return task.id;
    });
    await until('the follow-up reminder', () =>
      rita.client.received('notification').some((n: NotificationPayload) => n.kind === 'follow-up-due'),
    );
    const note = rita.client.received('notification').find((n: NotificationPayload) => n.kind === 'follow-up-due');
    expect(note).toEqual({
      id: expect.any(Number),
      kind: 'follow-up-due',
      title: null,
      body: null,
      link: `/pages/task-detail/index?id=${taskId}`,
      at: expect.any(String),
      params: {
        task: { title: '电话回访', titleKey: null, titleParams: null },
        dueAt: dueAt.toISOString(),
        remindAt: expect.any(String),
        customerName: customer.name,
      },
    });
    // The stored row is what the phone reads back over REST.
    const [stored] = (await notificationsOf(rita.user.id, 'follow-up-due')).map((n) => n.toDto());
    expect(stored).toMatchObject({ kind: 'follow-up-due', params: note!.params, title: null, body: null });
  });

  it('does not lose a reminder that falls due while every node is down', async () => {
    const ray = await signIn(urls()[0], 'ray');
    const remindAt = new Date(Date.now() + 400);
    const task = (await ray.send('POST', '/api/crm/tasks', { title: 'across a restart', remindAt: remindAt.toISOString() })).body.task;
    await Promise.all(cluster.nodes.map((n) => n.stop()));
    await sleep(remindAt.getTime() - Date.now() + 300);
    expect((await cluster.db.models.Task.findByPk(task.id))!.remindedAt).toBeNull();

    cluster.nodes.splice(0, cluster.nodes.length, await startNodeOn(cluster.databaseUrl, { ...env, NODE_ID: 'node-restarted' }));
    const back = await phone(cluster.nodes[0]!.url, 'ray');
    await until(
      'the reminder after the restart',
      async () =>
        (await cluster.db.models.Notification.count({ where: { userId: ray.user.id, link: { [Op.like]: `%id=${task.id}` } } })) === 1,
    );
    await sleep(300);
    expect(await cluster.db.models.Notification.count({ where: { userId: ray.user.id, link: { [Op.like]: `%id=${task.id}` } } })).toBe(1);
    expect(back.client.received('notification').length).toBeLessThanOrEqual(1);
  });
});
