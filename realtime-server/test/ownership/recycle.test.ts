import { describe, expect, it } from 'vitest';
import type { NotificationPayload } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { sleep, until } from '../notifications/until.js';
import { ageCustomer } from './pool.js';

// Both nodes run their schedulers on a short timer, as production nodes do on a long one.
const nodes = useTwoNodes({ RECYCLE_INTERVAL_MS: '40' });
const { phone } = nodes;

const recycledEvents = (id: number) =>
  nodes.cluster.db.models.TeamEvent.count({ where: { type: 'customer:owner-changed', data: { customer: { id }, reason: 'recycle' } } });
const noticesOf = (userId: number, kind: string) => nodes.cluster.db.models.Notification.count({ where: { userId, kind } });

describe('recycle: idle customers go back to the pool', () => {
  it('warns the owner once 3 days before, then recycles exactly once with two nodes running', async () => {
    const mia = await signIn(nodes.nodeA, 'mia');
    await mia.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: 10 });
    const ray = await phone(nodes.cluster.nodes[1]!.url, 'ray');
    const rita = await phone(nodes.nodeA, 'rita');
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '久未跟进' })).body;
    const fresh = (await ray.send('POST', '/api/crm/customers', { name: '刚跟进' })).body.customer;

    // 8 days idle: inside the 3-day warning window, not yet due.
    await ageCustomer(nodes.cluster.db, customer.id, 8);
    await until('the warning', async () => (await noticesOf(ray.user.id, 'recycle-warning')) > 0);
    await sleep(400); // many more ticks on both nodes
    expect(await noticesOf(ray.user.id, 'recycle-warning')).toBe(1);
    const warning = ray.client.received('notification').find((n: NotificationPayload) => n.kind === 'recycle-warning')!;
    expect(warning).toMatchObject({ params: { customerName: '久未跟进' }, link: `/pages/customer-detail/index?id=${customer.id}` });
    const recycleAt = Date.parse(warning.params.recycleAt);
    expect(Math.abs(recycleAt - (Date.now() + 2 * 86_400_000))).toBeLessThan(60_000);
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);

    // 11 days idle, warned 4 days ago: due now, on whichever node gets there first.
    await ageCustomer(nodes.cluster.db, customer.id, 11, 4);
    const seen = rita.client.next('customer:owner-changed', 5000);
    await until('the recycle', async () => (await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId === null);
    await sleep(400);
    expect(await recycledEvents(customer.id)).toBe(1);
    expect(await noticesOf(ray.user.id, 'customer-recycled')).toBe(1);
    expect(await nodes.cluster.db.models.CustomerOwnerLog.count({ where: { customerId: customer.id, reason: 'recycle' } })).toBe(1);
    expect((await seen).data).toMatchObject({
      reason: 'recycle',
      previousOwnerId: ray.user.id,
      customer: { id: customer.id, ownerId: null },
    });
    await until('the recycled notice on the phone', () =>
      ray.client.received('notification').some((n: NotificationPayload) => n.kind === 'customer-recycled'),
    );
    expect(await noticesOf(ray.user.id, 'recycle-warning')).toBe(1);
    // A customer worked on recently stays put.
    expect((await nodes.cluster.db.models.Customer.findByPk(fresh.id))!.ownerId).toBe(ray.user.id);
  });

  it('does not recycle without a warning first, nor after new activity, nor when the team never recycles', async () => {
    const mia = await signIn(nodes.nodeA, 'mia');
    const ray = await signIn(nodes.nodeA, 'ray');
    await mia.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: 10 });
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '有新跟进' })).body;
    await ageCustomer(nodes.cluster.db, customer.id, 20);
    await until('the warning', async () => (await nodes.cluster.db.models.Customer.findByPk(customer.id))!.recycleWarnedAt !== null);
    await sleep(200);
    // Warned just now: the owner still has 3 days.
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);
    // A call logged today restarts the clock: no recycle even once the warning is old.
    expect((await ray.send('POST', '/api/crm/activities', { customerId: customer.id, type: 'call', content: '回访' })).status).toBe(201);
    await nodes.cluster.db.sequelize.query(`UPDATE customers SET recycle_warned_at = now() - interval '5 days' WHERE id = :id`, {
      replacements: { id: customer.id },
    });
    await sleep(300);
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);

    await mia.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: null });
    await ageCustomer(nodes.cluster.db, customer.id, 400, 30);
    await sleep(300);
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);
  });
});
