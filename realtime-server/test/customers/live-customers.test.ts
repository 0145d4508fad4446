import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse, PresenceChanged } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
let nodeC: string;
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(3);
  [nodeA, nodeB, nodeC] = cluster.nodes.map((n) => n.url) as [string, string, string];
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster.stop();
});

/** One phone: a signed-in rep with a weapp.socket.io client connected to `url`. */
async function phone(url: string, login: string) {
  const session = await signIn(url, login);
  const client = await connectWeapp(url, session.token);
  clients.push(client);
  return { ...session, client };
}

/** A different East customer for each test, so no test sees another's viewers. */
let picked = 0;
async function someCustomer(): Promise<Customer> {
  const who = await signIn(nodeA, 'ray');
  return (await who.get<CustomerListResponse>(`/api/crm/customers?limit=1&sortBy=createdAt&page=${++picked}`)).body.customers[0]!;
}

/** Waits until the latest `presence:changed` for the resource names exactly these users. */
async function viewersSeenBy(client: WeappClient, resource: string, userIds: number[], timeoutMs = 4000): Promise<PresenceChanged> {
  const deadline = Date.now() + timeoutMs;
  let latest: PresenceChanged | undefined;
  while (Date.now() < deadline) {
    latest = client
      .received('presence:changed')
      .filter((p: PresenceChanged) => p.resource === resource)
      .at(-1);
    if (latest && JSON.stringify(latest.viewers.map((v) => v.userId)) === JSON.stringify([...userIds].sort((a, b) => a - b))) return latest;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`viewers of ${resource} are ${JSON.stringify(latest?.viewers)}, expected users ${userIds.join(', ')}`);
}

/** Waits past the server's settle re-announce, so what follows is seen only through its own cause. */
const pastSettle = () => new Promise((r) => setTimeout(r, 500));

describe('a teammate on another node sees the customer page live', () => {
  it("a note by one rep reaches a teammate's phone on another node, once, as the same note", async () => {
    const c = await someCustomer();
    const ray = await signIn(nodeA, 'ray');
    const rita = await phone(nodeB, 'rita');
    const will = await phone(nodeB, 'will');
    const heard = rita.client.next('customer:note-added');
    const res = await ray.send(
      'POST',
      `/api/crm/customers/${c.id}/notes`,
      { content: '客户同意下周签约' },
      { 'Idempotency-Key': 'live-note-000001' },
    );
    expect(res.status).toBe(201);
    const env = await heard;
    expect(env).toMatchObject({
      type: 'customer:note-added',
      teamId: c.teamId,
      actorId: ray.user.id,
      data: { customerId: c.id, note: res.body.note },
    });
    // The retry answers the same note and announces nothing more.
    await ray.send('POST', `/api/crm/customers/${c.id}/notes`, { content: '客户同意下周签约' }, { 'Idempotency-Key': 'live-note-000001' });
    await new Promise((r) => setTimeout(r, 300));
    expect(rita.client.received('customer:note-added')).toHaveLength(1);
    expect(will.client.received('customer:note-added')).toHaveLength(0);
  });

  it('calls, messages, activities, customer edits and follow-ups arrive live as their one fact each', async () => {
    const c = await someCustomer();
    const ray = await signIn(nodeA, 'ray');
    const rita = await phone(nodeB, 'rita');
    const call = rita.client.next('communication:logged');
    await ray.send('POST', '/api/crm/communications', {
      customerId: c.id,
      type: 'call',
      direction: 'outbound',
      status: 'connected',
      durationSec: 95,
    });
    expect((await call).data.communication).toMatchObject({ customerId: c.id, status: 'connected', durationSec: 95 });
    const msg = rita.client.next('message:created');
    await ray.send('POST', '/api/crm/messages', { customerId: c.id, message: '合同已发邮箱' });
    expect((await msg).data.message).toMatchObject({ customerId: c.id, content: '合同已发邮箱' });
    const act = rita.client.next('activity:created');
    await ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'meeting', content: '视频会议' });
    expect((await act).data.activity).toMatchObject({ customerId: c.id, type: 'meeting', actorName: ray.user.name });
    const current = (await ray.get(`/api/crm/customers/${c.id}`)).body.customer as Customer;
    const updated = rita.client.next('customer:updated');
    await ray.send('PATCH', `/api/crm/customers/${c.id}`, { status: 'active', version: current.version });
    expect((await updated).data.customer).toMatchObject({ id: c.id, status: 'active', version: current.version + 1 });
    const created = rita.client.next('customer:created');
    const added = (await ray.send('POST', '/api/crm/customers', { name: '新线索' })).body.customer;
    expect((await created).data.customer).toEqual(added);
    const task = rita.client.next('task:created');
    await ray.send('POST', '/api/crm/follow-ups', { customerId: c.id, scheduledDate: new Date(Date.now() + 86_400_000).toISOString() });
    expect((await task).data.task).toMatchObject({ customerId: c.id, type: 'follow-up', assigneeId: ray.user.id });
  });
});

describe('presence on a customer page', () => {
  it('shows who else is there across nodes, each user once, and drops a viewer whose socket disconnects', async () => {
    const c = await someCustomer();
    const resource = `customer:${c.id}`;
    const ray = await phone(nodeA, 'ray');
    const rita = await phone(nodeB, 'rita');
    const joined = await ray.client.command('presence:join', { resource });
    expect(joined).toEqual({ ok: true, data: { resource, viewers: [{ userId: ray.user.id, name: ray.user.name }] } });

    await rita.client.command('presence:join', { resource });
    const both = [ray.user.id, rita.user.id];
    const seen = await viewersSeenBy(ray.client, resource, both);
    expect(seen.viewers).toContainEqual({ userId: rita.user.id, name: rita.user.name });
    await viewersSeenBy(rita.client, resource, both);

    // Ray's second phone (another node) does not make him appear twice.
    const raySecond = await phone(nodeB, 'ray');
    const again = await raySecond.client.command('presence:join', { resource });
    expect(again.ok && again.data.viewers.map((v: { userId: number }) => v.userId).sort()).toEqual([...both].sort());

    // Rita's socket drops on node B: Ray on node A sees her gone.
    await pastSettle();
    rita.client.close();
    await viewersSeenBy(ray.client, resource, [ray.user.id]);

    // Ray leaves on one phone but is still there on the other; leaving there too empties the page.
    const mia = await phone(nodeA, 'mia');
    await mia.client.command('presence:join', { resource });
    await pastSettle();
    await ray.client.command('presence:leave', { resource });
    await viewersSeenBy(mia.client, resource, [ray.user.id, mia.user.id]);
    await pastSettle();
    await raySecond.client.command('presence:leave', { resource });
    await viewersSeenBy(mia.client, resource, [mia.user.id]);
  });

  it('drops the viewers of a node that shuts down', async () => {
    const c = await someCustomer();
    const resource = `customer:${c.id}`;
    const ray = await phone(nodeA, 'ray');
    const rita = await phone(nodeC, 'rita');
    await ray.client.command('presence:join', { resource });
    await rita.client.command('presence:join', { resource });
    await viewersSeenBy(ray.client, resource, [ray.user.id, rita.user.id]);
    await pastSettle();
    await cluster.nodes[2]!.stop();
    await viewersSeenBy(ray.client, resource, [ray.user.id]);
  });

  it('refuses a customer the user cannot reach, and a malformed resource', async () => {
    const c = await someCustomer();
    const olga = await phone(nodeA, 'olga');
    const will = await phone(nodeB, 'will');
    for (const who of [olga, will]) {
      const res = await who.client.command('presence:join', { resource: `customer:${c.id}` });
      expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    for (const resource of ['customer:abc', 'opportunity:1', `customer:${c.id}; drop`, '']) {
      expect(await olga.client.command('presence:join', { resource })).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    // Refused joins put nobody on the page.
    const ray = await phone(nodeA, 'ray');
    const res = await ray.client.command('presence:join', { resource: `customer:${c.id}` });
    expect(res.ok && res.data.viewers.map((v: { userId: number }) => v.userId)).toEqual([ray.user.id]);
  });
});
