import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createRecycleScheduler } from '../../src/modules/ownership/recycle.scheduler.js';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { ageCustomer } from './pool.js';

// The nodes' own timers are off: these tests run the passes themselves, one at a time.
const nodes = useTwoNodes({ RECYCLE_INTERVAL_MS: '0' });

function scheduler(scan?: number) {
  const { services } = nodes.cluster.nodes[0]!.node;
  return createRecycleScheduler({
    db: nodes.cluster.db,
    owners: services.customers.owners,
    notifications: services.notifications,
    bus: services.bus,
    logger: createLogger('silent', 'recycle-scan-test'),
    intervalMs: 0,
    ...(scan === undefined ? {} : { scan }),
  });
}

const warningsOf = (userId: number) => nodes.cluster.db.models.Notification.count({ where: { userId, kind: 'recycle-warning' } });
const warnedAt = async (id: number) => (await nodes.cluster.db.models.Customer.findByPk(id))!.recycleWarnedAt;

describe('recycle scan: a pass reads a slice of the held customers', () => {
  it('warns customers beyond the first slice on later passes, each once, and starts again at the end', async () => {
    const mia = await signIn(nodes.nodeA, 'mia');
    const ray = await signIn(nodes.nodeB, 'ray');
    await mia.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: 10 });
    const ids: number[] = [];
    for (const name of ['慢一', '慢二', '慢三']) ids.push((await ray.send('POST', '/api/crm/customers', { name })).body.customer.id);
    for (const id of ids) await ageCustomer(nodes.cluster.db, id, 8);
    const before = await warningsOf(ray.user.id);

    // Two customers a pass: the newest customers are last in id order, so the first pass misses them.
    const pass = scheduler(2);
    expect((await pass.runOnce()).warned).toBe(0);
    let passes = 1;
    while ((await warningsOf(ray.user.id)) - before < ids.length && passes < 200) {
      await pass.runOnce();
      passes++;
    }
    expect(passes).toBeGreaterThan(1);
    for (const id of ids) expect(await warnedAt(id)).not.toBeNull();
    // Once round the table again, from the start: nobody is warned twice.
    for (let i = 0; i < passes + 2; i++) await pass.runOnce();
    expect((await warningsOf(ray.user.id)) - before).toBe(ids.length);
  });

  it('clears a warning once the customer is worked on, and warns again in the next idle stretch', async () => {
    const mia = await signIn(nodes.nodeA, 'mia');
    const ray = await signIn(nodes.nodeA, 'ray');
    await mia.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: 10 });
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '又忙起来' })).body;
    const pass = scheduler();
    const before = await warningsOf(ray.user.id);
    await ageCustomer(nodes.cluster.db, customer.id, 8);
    await pass.runOnce();
    expect(await warnedAt(customer.id)).not.toBeNull();

    expect((await ray.send('POST', '/api/crm/activities', { customerId: customer.id, type: 'call', content: '回访' })).status).toBe(201);
    await pass.runOnce();
    expect(await warnedAt(customer.id)).toBeNull();
    expect((await nodes.cluster.db.models.Customer.findByPk(customer.id))!.ownerId).toBe(ray.user.id);

    await ageCustomer(nodes.cluster.db, customer.id, 8);
    await pass.runOnce();
    expect(await warnedAt(customer.id)).not.toBeNull();
    expect((await warningsOf(ray.user.id)) - before).toBe(2);
  });
});
