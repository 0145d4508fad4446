import { describe, expect, it } from 'vitest';
import type { NotificationPayload, Opportunity } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { sleep, until } from '../notifications/until.js';
import { signInAll } from '../tasks/sessions.js';

const nodes = useTwoNodes();
const { phone } = nodes;

const notes = (p: { client: { received(t: string): unknown[] } }) => p.client.received('notification') as NotificationPayload[];

describe('PUT /api/crm/customers/:id/owner and /api/crm/opportunities/:id/owner', () => {
  it('moves a customer from one rep to another, live to both reps on the other node, with a notification each', async () => {
    const mia = await signIn(nodes.nodeA, 'mia');
    const ray = await phone(nodes.nodeB, 'ray');
    const rita = await phone(nodes.nodeB, 'rita');
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '转交客户', phone: '13912340001' })).body;
    const toRita = rita.client.next('customer:owner-changed');
    const toRay = ray.client.next('customer:owner-changed');

    const started = Date.now();
    const res = await mia.send('PUT', `/api/crm/customers/${customer.id}/owner`, { ownerId: rita.user.id });
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({
      id: customer.id,
      ownerId: rita.user.id,
      version: customer.version + 1,
      phone: '13912340001',
    });
    for (const env of [await toRita, await toRay]) {
      expect(env).toMatchObject({
        type: 'customer:owner-changed',
        actorId: mia.user.id,
        data: { reason: 'reassign', previousOwnerId: ray.user.id, customer: { id: customer.id, ownerId: rita.user.id } },
      });
    }
    await until('both notifications', () => notes(rita).length > 0 && notes(ray).length > 0);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(notes(rita)[0]).toMatchObject({
      kind: 'reassigned-to-you',
      params: { actorName: mia.user.name, record: 'customer', name: '转交客户' },
      link: `/pages/customer-detail/index?id=${customer.id}`,
    });
    expect(notes(ray)[0]).toMatchObject({
      kind: 'reassigned-away',
      params: { actorName: mia.user.name, record: 'customer', name: '转交客户', toName: rita.user.name },
    });
    expect((await rita.get('/api/crm/notifications')).body.notifications[0]).toMatchObject({ kind: 'reassigned-to-you' });
    const log = await nodes.cluster.db.models.CustomerOwnerLog.findOne({ where: { customerId: customer.id, reason: 'reassign' } });
    expect(log).toMatchObject({ actorId: mia.user.id, previousOwnerId: ray.user.id, ownerId: rita.user.id });
  });

  it('moves a deal, live to both reps in a team where each rep sees only their own (West)', async () => {
    const wes = await signIn(nodes.nodeA, 'wes');
    const will = await phone(nodes.nodeB, 'will');
    const wendy = await phone(nodes.nodeA, 'wendy');
    const { customer } = (await will.send('POST', '/api/crm/customers', { name: '西区客户' })).body;
    const { opportunity } = (
      await will.send('POST', '/api/crm/opportunities', { customerId: customer.id, title: '西区订单', valueCents: 880_000 })
    ).body as { opportunity: Opportunity };
    expect((await wendy.get(`/api/crm/opportunities/${opportunity.id}`)).status).toBe(404);
    const toWendy = wendy.client.next('opportunity:owner-changed');
    const toWill = will.client.next('opportunity:owner-changed');

    const res = await wes.send('PUT', `/api/crm/opportunities/${opportunity.id}/owner`, { ownerId: wendy.user.id });
    expect(res.status).toBe(200);
    expect(res.body.opportunity).toMatchObject({ id: opportunity.id, ownerId: wendy.user.id, ownerName: wendy.user.name });
    for (const env of [await toWendy, await toWill]) {
      expect(env.data).toMatchObject({ reason: 'reassign', previousOwnerId: will.user.id, opportunity: { id: opportunity.id } });
    }
    await until('both notifications', () => notes(wendy).length > 0 && notes(will).length > 0);
    expect(notes(wendy)[0]).toMatchObject({ kind: 'reassigned-to-you', params: { record: 'opportunity', name: '西区订单' } });
    expect(notes(will)[0]).toMatchObject({ kind: 'reassigned-away', params: { record: 'opportunity', toName: wendy.user.name } });
    // Now it is Wendy's to see, and no longer Will's.
    expect((await wendy.get(`/api/crm/opportunities/${opportunity.id}`)).status).toBe(200);
    expect((await will.get(`/api/crm/opportunities/${opportunity.id}`)).status).toBe(404);
  });

  it('refuses reps (403), owners outside the team (400) and records out of reach (404), writing nothing', async () => {
    const [mia, ray, rita, will, olga, oscar, ada] = await signInAll(nodes.nodeA, ['mia', 'ray', 'rita', 'will', 'olga', 'oscar', 'ada']);
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: 'Stays with Ray' })).body;
    const { opportunity } = (
      await ray.send('POST', '/api/crm/opportunities', { customerId: customer.id, title: 'Ray deal', valueCents: 100 })
    ).body;
    const cases: Array<[typeof mia, string, number, number]> = [
      [rita, `/api/crm/customers/${customer.id}/owner`, rita.user.id, 403],
      [ray, `/api/crm/opportunities/${opportunity.id}/owner`, rita.user.id, 403],
      [mia, `/api/crm/customers/${customer.id}/owner`, will.user.id, 400],
      [mia, `/api/crm/customers/${customer.id}/owner`, olga.user.id, 400],
      [mia, `/api/crm/opportunities/${opportunity.id}/owner`, ada.user.id, 400],
      [oscar, `/api/crm/customers/${customer.id}/owner`, oscar.user.id, 404], // another tenant's manager
      [olga, `/api/crm/customers/${customer.id}/owner`, olga.user.id, 403], // a rep, wherever
    ];
    for (const [who, path, ownerId, status] of cases) {
      expect((await who.send('PUT', path, { ownerId })).status, `${who.user.name} ${path}`).toBe(status);
    }
    expect((await mia.send('PUT', `/api/crm/customers/${customer.id}/owner`, { ownerId: 'rita' })).status).toBe(400);
    await sleep(50);
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);
    expect((await nodes.cluster.db.models.Opportunity.findByPk(opportunity.id))!.ownerId).toBe(ray.user.id);
    // The same owner again changes nothing and tells nobody.
    const same = await mia.send('PUT', `/api/crm/customers/${customer.id}/owner`, { ownerId: ray.user.id });
    expect(same.body.customer.version).toBe(customer.version);
  });
});
