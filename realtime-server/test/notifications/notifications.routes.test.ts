import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, NotificationsResponse } from '@live-crm/shared-types';
import { http } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { signInAll, type Session } from '../tasks/sessions.js';
import { until } from './until.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let mia: Session;
let ray: Session;
let rita: Session;

beforeAll(async () => {
  // A reminder template but no WeChat credentials: reminders stay in-app and spend no consent.
  node = await startTestNode({ env: { WECHAT_REMINDER_TEMPLATE_ID: 'tpl-reminder', REMINDER_INTERVAL_MS: '100' } });
  [mia, ray, rita] = await signInAll(node.url, ['mia', 'ray', 'rita']);
  // The demo's own task reminders come due at fixed times of day; one falling inside this run would
  // add a reminder to ray's inbox. This file is about the notifications it makes itself.
  await node.cluster.db.models.Task.update({ remindAt: null }, { where: {} });
  // Each task a manager creates for someone else leaves them a notification.
  for (const [who, title] of [
    [ray, 'r1'],
    [ray, 'r2'],
    [ray, 'r3'],
    [rita, 'x1'],
  ] as const) {
    await mia.send('POST', '/api/crm/tasks', { title, assigneeId: who.user.id });
  }
});
afterAll(() => node.stop());

const inbox = async (who: Session, query = '') => (await who.get<NotificationsResponse>(`/api/crm/notifications${query}`)).body;
/** The assigned task's title each notification names. */
const titles = (list: Notification[]) => list.map((n) => (n.kind === 'task-assigned' ? n.params.task.title : n.kind));
const markRead = (who: Session, body?: unknown) => who.send<NotificationsResponse>('PUT', '/api/crm/notifications/read', body);

describe('notifications', () => {
  it("lists only the caller's own, newest first, with the unread count", async () => {
    const mine = await inbox(ray);
    expect(titles(mine.notifications)).toEqual(['r3', 'r2', 'r1']);
    expect(mine.unread).toBe(3);
    expect(mine.notifications[0]).toMatchObject({
      kind: 'task-assigned',
      readAt: null,
      link: expect.stringMatching(/^\/pages\/task-detail\/index\?id=\d+$/),
    });
    expect(titles((await inbox(rita)).notifications)).toEqual(['x1']);
    expect((await inbox(mia)).unread).toBe(0);
    const paged = await inbox(ray, `?limit=1&before=${mine.notifications[0]!.id}`);
    expect(titles(paged.notifications)).toEqual(['r2']);
  });

  it("marks the given ids read, ignoring anyone else's, then all of them", async () => {
    const [newest] = (await inbox(ray)).notifications;
    const ritaNote = (await inbox(rita)).notifications[0]!;
    const res = await markRead(ray, { ids: [newest!.id, ritaNote.id] });
    expect(res.status).toBe(200);
    expect(res.body.unread).toBe(2);
    expect(res.body.notifications[0]).toMatchObject({ id: newest!.id, readAt: expect.any(String) });
    expect((await inbox(rita)).unread).toBe(1);
    const all = await markRead(ray);
    expect(all.body.unread).toBe(0);
    expect(all.body.notifications.every((n) => n.readAt !== null)).toBe(true);
    expect((await inbox(rita)).unread).toBe(1);
  });

  it('rejects bad input with 400 and a missing token with 401', async () => {
    expect((await ray.get('/api/crm/notifications?limit=0')).status).toBe(400);
    expect((await ray.get('/api/crm/notifications?before[$lt]=5')).status).toBe(400);
    expect((await markRead(ray, { ids: ['all'] })).status).toBe(400);
    expect((await ray.send('POST', '/api/crm/notifications/subscriptions', { templateId: 'tpl', accepted: 'yes' })).status).toBe(400);
    expect((await http(node.url, 'GET', '/api/crm/notifications')).status).toBe(401);
  });

  it('keeps reminders in-app and spends no consent when WeChat is not configured', async () => {
    const [wes] = await signInAll(node.url, ['wes']);
    const { User, SubscriptionConsent } = node.cluster.db.models;
    await User.update({ wechatOpenId: 'openid-wes' }, { where: { id: wes.user.id } });
    await wes.send('POST', '/api/crm/notifications/subscriptions', { templateId: 'tpl-reminder', accepted: true });
    await wes.send('POST', '/api/crm/tasks', { title: 'call back', remindAt: new Date(Date.now() - 1000).toISOString() });
    await until('the reminder', async () => (await inbox(wes)).notifications.some((n) => n.kind === 'task-reminder'));
    expect((await SubscriptionConsent.findOne({ where: { userId: wes.user.id } }))?.remaining).toBe(1);
    // Nothing to ask the user for: the client learns there is no template.
    expect((await wes.get('/api/crm/notifications/subscriptions')).body).toEqual({ templateId: null, remaining: 0 });
    expect((await wes.get('/api/crm/notifications/subscriptions?templateId[$ne]=x')).status).toBe(400);
  });
});
