import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import type { Task } from '@live-crm/shared-types';
import { startTestNode, type TestNode } from '../support/nodes.js';
import { signInAll, type Session } from '../tasks/sessions.js';
import { startFakeWechat, type FakeWechat } from './fake-wechat.js';

// ARCHITECTURE 9.3 / issue 16: a reminder reaches the phone through WeChat when the person gave a
// one-time consent where the reminder was set (the follow-up record, the task form, accepting an
// assigned task), one consent per message; otherwise it stays an in-app notification (and the badge).
const TEMPLATE = 'tpl-task-reminder';
let wechat: FakeWechat;
let node: TestNode;
let ray: Session;
let rita: Session;
let mia: Session;

beforeAll(async () => {
  wechat = await startFakeWechat();
  node = await startTestNode({ env: { ...wechat.env(TEMPLATE), REMINDER_INTERVAL_MS: '0' } });
  [ray, rita, mia] = await signInAll(node.url, ['ray', 'rita', 'mia'] as const);
  for (const who of [ray, rita])
    await node.db.models.User.update({ wechatOpenId: `openid-${who.user.id}` }, { where: { id: who.user.id } });
});
afterAll(async () => {
  await node.stop();
  await wechat.close();
});

const inTwoHours = () => new Date(Date.now() + 2 * 3_600_000).toISOString();
/** What the phone sends after wx.requestSubscribeMessage answered. */
const consent = (who: Session, accepted: boolean) =>
  who
    .send('POST', '/api/crm/notifications/subscriptions', { templateId: TEMPLATE, accepted })
    .then((r) => expect(r.status).toBeLessThan(300));

describe('reminders that reach the phone', () => {
  it('a consent given where the reminder was set sends one WeChat message; without one, the in-app notification alone', async () => {
    const customer = (await ray.send('POST', '/api/crm/customers', { name: '提醒客户', phone: '17900000001' })).body.customer;
    const reminders: Task[] = [];
    // 1. The follow-up record's next step; consent accepted in the sheet's save tap.
    await consent(ray, true);
    reminders.push(
      (
        await ray.send('POST', '/api/crm/activities', {
          customerId: customer.id,
          type: 'call',
          content: '约了下周',
          nextFollowUpAt: inTwoHours(),
        })
      ).body.task,
    );
    // 2. Another next step; this time the dialog was refused.
    await consent(ray, false);
    reminders.push(
      (
        await ray.send('POST', '/api/crm/activities', {
          customerId: customer.id,
          type: 'note',
          content: '再跟',
          nextFollowUpAt: inTwoHours(),
        })
      ).body.task,
    );
    // 3. The task form with a reminder; accepted.
    await consent(ray, true);
    const due = inTwoHours();
    reminders.push(
      (
        await ray.send('POST', '/api/crm/tasks', {
          title: '寄样品',
          dueAt: due,
          remindAt: new Date(Date.parse(due) - 1_800_000).toISOString(),
        })
      ).body.task,
    );
    // 4. A task the manager assigns; rita accepts it and the reminder's consent in the same tap.
    const assigned = async () =>
      (
        await mia.send('POST', '/api/crm/tasks', {
          title: '回访',
          assigneeId: rita.user.id,
          dueAt: due,
          remindAt: new Date(Date.parse(due) - 1_800_000).toISOString(),
        })
      ).body.task as Task;
    const accepted = await assigned();
    await consent(rita, true);
    expect((await rita.send('PUT', `/api/crm/tasks/${accepted.id}`, { status: 'in_progress', version: accepted.version })).status).toBe(
      200,
    );
    reminders.push(accepted);
    // 5. Another assigned task rita has not opened: no consent.
    reminders.push(await assigned());
    expect(reminders.every((t) => t?.remindAt)).toBe(true);

    // Their time comes (the scheduler reads the clock; the test moves the reminders instead of waiting two hours).
    const ids = reminders.map((t) => t.id);
    await node.db.models.Task.update({ remindAt: new Date(Date.now() - 1000) }, { where: { id: { [Op.in]: ids } } });
    const sentBefore = wechat.sent.length;
    const fired = await node.node.reminders.runOnce();
    expect(fired).toBe(5);

    const sent = wechat.sent.slice(sentBefore);
    const reached = sent.length / fired;
    console.info(`[reminders] ${sent.length} of ${fired} reminders reached WeChat (${Math.round(reached * 100)}%); the rest in-app only`);
    expect(sent.map((m) => m.touser).sort()).toEqual([`openid-${ray.user.id}`, `openid-${ray.user.id}`, `openid-${rita.user.id}`].sort());
    expect(reached).toBeCloseTo(0.6);
    // Every reminder is an in-app notification too (the badge counts it), reached or not.
    const stored = await node.db.models.Notification.count({
      where: {
        kind: { [Op.in]: ['task-reminder', 'follow-up-due'] },
        link: { [Op.in]: ids.map((id) => `/pages/task-detail/index?id=${id}`) },
      },
    });
    expect(stored).toBe(5);
    // One consent per message: none left over.
    const left = await node.db.models.SubscriptionConsent.findAll({ where: { templateId: TEMPLATE } });
    expect(left.map((c) => c.remaining)).toEqual(left.map(() => 0));
  });
});
