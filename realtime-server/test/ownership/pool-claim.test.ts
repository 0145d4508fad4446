import { describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse, TeamEventEnvelope } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { sleep } from '../notifications/until.js';
import { signInAll } from '../tasks/sessions.js';
import { maskedPhone, poolCustomer } from './pool.js';

const nodes = useTwoNodes();
const { phone } = nodes;

const ownerChanges = (customerId: number) =>
  nodes.cluster.db.models.TeamEvent.count({ where: { type: 'customer:owner-changed', data: { customer: { id: customerId } } } });

describe('POST /api/crm/customers/:id/claim', () => {
  it('has exactly one winner among 20 simultaneous claims from phones on two nodes; the others get 409 with who has it, masked', async () => {
    const ray = await phone(nodes.nodeA, 'ray');
    const rita = await phone(nodes.nodeB, 'rita');
    const mia = await signIn(nodes.nodeA, 'mia');
    const target = await poolCustomer(nodes.cluster.db, ray, 'Contested');
    const claimers = [
      ray,
      rita,
      mia,
      await signIn(nodes.nodeB, 'ray'),
      await signIn(nodes.nodeB, 'rita'),
      await signIn(nodes.nodeB, 'mia'),
    ];

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => claimers[i % claimers.length]!.send('POST', `/api/crm/customers/${target.id}/claim`)),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    const winner = won[0]!.body.customer as Customer;
    expect(winner.ownerId).not.toBeNull();
    expect(winner.phone).toBe(target.phone); // the winner sees the number in full
    const lost = answers.map((a, i) => ({ ...a, who: claimers[i % claimers.length]! })).filter((a) => a.status !== 200);
    expect(lost.map((a) => a.status)).toEqual(Array(19).fill(409));
    for (const a of lost) {
      expect(a.body.error.code).toBe('conflict');
      expect(a.body.current).toMatchObject({ id: target.id, ownerId: winner.ownerId, version: winner.version });
      // A losing rep learns who has it, not the number (the customer did not become theirs).
      if (a.who.user.role === 'rep' && a.who.user.id !== winner.ownerId) expect(a.body.current.phone).toBe(maskedPhone(target.phone!));
    }

    await sleep(300);
    expect(await ownerChanges(target.id)).toBe(2); // the release that made it a pool customer, and this claim
    const seen = [...ray.client.received('customer:owner-changed'), ...rita.client.received('customer:owner-changed')].filter(
      (e: TeamEventEnvelope<'customer:owner-changed'>) => e.data.customer.id === target.id && e.data.reason === 'claim',
    );
    expect(seen).toHaveLength(2); // once on each phone
    expect(seen[0].data).toMatchObject({ previousOwnerId: null, customer: { ownerId: winner.ownerId } });
  });

  it('shows reps a pool customer masked in the list and on its page, and their own customers in full', async () => {
    const [ray, mia] = await signInAll(nodes.nodeA, ['ray', 'mia']);
    const target = await poolCustomer(nodes.cluster.db, ray, 'Masked');
    const pool = (await ray.get<CustomerListResponse>('/api/crm/customers?scope=pool&limit=100')).body.customers;
    const row = pool.find((c) => c.id === target.id)!;
    expect(row).toMatchObject({ ownerId: null, phone: maskedPhone(target.phone!), email: 'm***@example.com' });
    expect(pool.every((c) => c.ownerId === null && (c.phone === null || c.phone.includes('****')))).toBe(true);
    expect((await ray.get(`/api/crm/customers/${target.id}`)).body.customer.phone).toBe(maskedPhone(target.phone!));
    // A manager works the pool with the numbers.
    expect((await mia.get(`/api/crm/customers/${target.id}`)).body.customer.phone).toBe(target.phone);

    const mine = (await ray.get<CustomerListResponse>('/api/crm/customers?scope=mine&limit=100')).body;
    expect(mine.customers.length).toBeGreaterThan(0);
    expect(mine.customers.every((c) => c.ownerId === ray.user.id && !c.phone?.includes('****'))).toBe(true);
    const all = (await ray.get<CustomerListResponse>('/api/crm/customers?scope=all&limit=100')).body;
    expect(all.total).toBeGreaterThan(mine.total);

    const claimed = await ray.send('POST', `/api/crm/customers/${target.id}/claim`);
    expect(claimed.body.customer).toMatchObject({ ownerId: ray.user.id, phone: target.phone, email: 'masked@example.com' });
    expect((await ray.get('/api/crm/customers?scope=abc')).status).toBe(400);
  });

  it('answers 429 limit over the daily claim limit and over the holding limit, and claims nothing', async () => {
    const [ray, mia] = await signInAll(nodes.nodeA, ['ray', 'mia']);
    const [a, b, c] = [
      await poolCustomer(nodes.cluster.db, ray, 'LimitA'),
      await poolCustomer(nodes.cluster.db, ray, 'LimitB'),
      await poolCustomer(nodes.cluster.db, ray, 'LimitC'),
    ];
    const claimedToday = await nodes.cluster.db.models.CustomerOwnerLog.count({ where: { actorId: ray.user.id, reason: 'claim' } });
    await mia.send('PATCH', '/api/crm/team/settings', { claimLimitPerDay: claimedToday + 1, holdLimit: null });
    expect((await ray.send('POST', `/api/crm/customers/${a.id}/claim`)).status).toBe(200);
    const over = await ray.send('POST', `/api/crm/customers/${b.id}/claim`);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('limit');
    expect((await nodes.cluster.db.models.Customer.findByPk(b.id))!.ownerId).toBeNull();

    const held = await nodes.cluster.db.models.Customer.count({ where: { ownerId: ray.user.id } });
    await mia.send('PATCH', '/api/crm/team/settings', { claimLimitPerDay: null, holdLimit: held });
    const full = await ray.send('POST', `/api/crm/customers/${c.id}/claim`);
    expect(full.status).toBe(429);
    expect(full.body.error.code).toBe('limit');
    await mia.send('PATCH', '/api/crm/team/settings', { holdLimit: held + 1 });
    expect((await ray.send('POST', `/api/crm/customers/${c.id}/claim`)).status).toBe(200);
    await mia.send('PATCH', '/api/crm/team/settings', { claimLimitPerDay: 5, holdLimit: 40 });
  });

  it('releases with a reason (owner or manager), refuses others, and keeps the reason', async () => {
    const [ray, rita, mia, ada] = await signInAll(nodes.nodeA, ['ray', 'rita', 'mia', 'ada']);
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: 'Releasable' })).body;
    expect((await rita.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: 'not mine' })).status).toBe(403);
    expect((await ray.send('POST', `/api/crm/customers/${customer.id}/release`, {})).status).toBe(400);
    expect((await ray.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: '   ' })).status).toBe(400);
    const res = await ray.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: '客户暂停采购' });
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({ id: customer.id, ownerId: null, version: customer.version + 1 });
    const again = await ray.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: 'twice' });
    expect(again.status).toBe(409);
    const log = await nodes.cluster.db.models.CustomerOwnerLog.findOne({ where: { customerId: customer.id, reason: 'release' } });
    expect(log).toMatchObject({ actorId: ray.user.id, previousOwnerId: ray.user.id, ownerId: null, note: '客户暂停采购' });
    // An admin is in no team: it does not claim.
    expect((await ada.send('POST', `/api/crm/customers/${customer.id}/claim`)).status).toBe(403);
    await mia.send('POST', `/api/crm/customers/${customer.id}/claim`);
    expect((await mia.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: 'manager' })).status).toBe(200);
  });

  it("is a 404 for another team's or tenant's customer", async () => {
    const [ray, will, olga] = await signInAll(nodes.nodeA, ['ray', 'will', 'olga']);
    const target = await poolCustomer(nodes.cluster.db, ray, 'EastOnly');
    for (const who of [will, olga]) {
      expect((await who.send('POST', `/api/crm/customers/${target.id}/claim`)).status).toBe(404);
      expect((await who.send('POST', `/api/crm/customers/${target.id}/release`, { reason: 'x' })).status).toBe(404);
    }
    expect((await nodes.cluster.db.models.Customer.findByPk(target.id))!.ownerId).toBeNull();
  });
});
