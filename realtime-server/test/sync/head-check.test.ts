import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerListResponse } from '@live-crm/shared-types';
import { loadConfig } from '../../src/config.js';
import { createEventBus } from '../../src/core/event-bus.js';
import { createServices } from '../../src/services.js';
import { signIn } from '../support/clients.js';
import { startCluster, TEST_JWT_SECRET, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

const INTERVAL_MS = 200;
let cluster: TestCluster;
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { env: { HEAD_CHECK_INTERVAL_MS: String(INTERVAL_MS) } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setting() {
  const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]];
  const ray = await signIn(a.url, 'ray');
  const rita = await signIn(b.url, 'rita');
  const phone = await connectWeapp(b.url, rita.token);
  clients.push(phone);
  const customerId = (await ray.get<CustomerListResponse>('/api/crm/customers?limit=1')).body.customers[0]!.id;
  return { a, ray, phone, customerId };
}

describe('events whose publish died with their node', () => {
  it('a note committed on node A but never published reaches a teammate on node B, once', async () => {
    const { a, ray, phone, customerId } = await setting();
    // Node A's domain with a bus nobody listens to: the commit happens, the publish never does.
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET });
    const unpublished = createServices(config, a.db, TEST_JWT_SECRET, createEventBus());
    const actor = (await a.node.services.auth.actorFor(ray.user.id))!;
    const note = await unpublished.customers.addNote(actor, customerId, 'written just before node A died');

    const envelope = await phone.next('customer:note-added', 20 * INTERVAL_MS);
    expect(envelope).toMatchObject({
      type: 'customer:note-added',
      teamId: ray.user.teamId,
      actorId: ray.user.id,
      data: { customerId, note: { id: note.id } },
    });
    await sleep(6 * INTERVAL_MS);
    expect(phone.received('customer:note-added').filter((e) => e.data.note.id === note.id)).toHaveLength(1);
  });

  it('an event published as usual is not sent a second time', async () => {
    const { ray, phone, customerId } = await setting();
    const res = await ray.send('POST', `/api/crm/customers/${customerId}/notes`, { content: 'published as usual' });
    expect(res.status).toBe(201);
    const envelope = await phone.next('customer:note-added');
    expect(envelope.data.note.id).toBe(res.body.note.id);
    await sleep(10 * INTERVAL_MS);
    expect(phone.received('customer:note-added').filter((e) => e.seq === envelope.seq)).toHaveLength(1);
  });
});
