import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTeamEvent, PipelineResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { randomBytes } from 'node:crypto';
import { REDIS_URL, startCluster, startNodeOn, type TestCluster, type TestNode } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
/** Two more nodes on the same database, fanning out over the sharded adapter on a channel prefix of their own. */
let sharded: TestNode[] = [];
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
  const env = { REDIS_URL, REDIS_KEY: `livecrm-test-${randomBytes(6).toString('hex')}`, REDIS_ADAPTER: 'sharded' };
  sharded = [
    await startNodeOn(cluster.databaseUrl, { ...env, NODE_ID: 'node-c' }),
    await startNodeOn(cluster.databaseUrl, { ...env, NODE_ID: 'node-d' }),
  ];
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(sharded.map((n) => n.stop()));
  await cluster.stop();
});

async function teammate(url: string, login: string) {
  const session = await signIn(url, login);
  const client = await connectWeapp(url, session.token);
  clients.push(client);
  return { ...session, client };
}

async function firstOpenDeal(who: Awaited<ReturnType<typeof signIn>>) {
  const p = (await who.get<PipelineResponse>('/api/crm/pipeline')).body;
  const deal = p.opportunities.find((o) => o.stageId === p.stages[0]!.id) ?? p.opportunities[0]!;
  return { p, deal };
}

// Fan-out is the adapter's job: each of these runs over the classic PUBLISH adapter and the sharded SPUBLISH one (REDIS_ADAPTER).
describe.each(['classic', 'sharded'] as const)('live pipeline across two nodes, %s Redis adapter', (adapter) => {
  let nodeA: string;
  let nodeB: string;
  beforeAll(() => {
    [nodeA, nodeB] = adapter === 'classic' ? [cluster.nodes[0]!.url, cluster.nodes[1]!.url] : [sharded[0]!.url, sharded[1]!.url];
  });

  it('fans out through the adapter REDIS_ADAPTER names', () => {
    const nodes = adapter === 'classic' ? cluster.nodes : sharded;
    const names = nodes.map((n) => n.node.io.of('/').adapter.constructor.name);
    expect(names).toEqual(adapter === 'classic' ? ['RedisAdapter', 'RedisAdapter'] : ['ShardedRedisAdapter', 'ShardedRedisAdapter']);
  });

  it("a move through node A reaches a teammate's weapp.socket.io client on node B, in one envelope", async () => {
    const ray = await signIn(nodeA, 'ray');
    const rita = await teammate(nodeB, 'rita');
    const { p, deal } = await firstOpenDeal(ray);
    const received = rita.client.next('opportunity:moved');
    const res = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[2]!.id, version: deal.version });
    expect(res.status).toBe(200);
    const env = await received;
    expect(env).toMatchObject({
      type: 'opportunity:moved',
      teamId: ray.user.teamId,
      actorId: ray.user.id,
      data: { fromStageId: deal.stageId, toStageId: p.stages[2]!.id, opportunity: { id: deal.id, version: deal.version + 1 } },
    });
    expect(env.seq).toBeGreaterThan(0);
    expect(env.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('another team and another tenant receive nothing', async () => {
    const ray = await signIn(nodeA, 'ray');
    const will = await teammate(nodeB, 'will');
    const olga = await teammate(nodeA, 'olga');
    const mia = await teammate(nodeB, 'mia');
    const { p, deal } = await firstOpenDeal(ray);
    const managerSaw = mia.client.next('opportunity:moved');
    await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[3]!.id, version: deal.version });
    await managerSaw;
    await new Promise((r) => setTimeout(r, 300));
    expect(will.client.received('opportunity:moved')).toHaveLength(0);
    expect(olga.client.received('opportunity:moved')).toHaveLength(0);
  });

  it('an admin receives every team of the tenant, but not another tenant', async () => {
    const ada = await teammate(nodeA, 'ada');
    const will = await signIn(nodeB, 'will');
    const olga = await signIn(nodeB, 'olga');
    const west = await firstOpenDeal(will);
    const north = await firstOpenDeal(olga);
    const seen = ada.client.next('opportunity:moved');
    await olga.send('PUT', `/api/crm/opportunities/${north.deal.id}/move`, { stageId: north.p.stages[1]!.id, version: north.deal.version });
    await will.send('PUT', `/api/crm/opportunities/${west.deal.id}/move`, { stageId: west.p.stages[1]!.id, version: west.deal.version });
    expect((await seen).teamId).toBe(will.user.teamId);
    await new Promise((r) => setTimeout(r, 200));
    expect(ada.client.received('opportunity:moved').every((e) => e.teamId !== olga.user.teamId)).toBe(true);
  });
});

describe('opportunity:move socket command', () => {
  it('acks the moved deal, and a stale version gets a conflict with the fresh record', async () => {
    const ray = await teammate(nodeA, 'ray');
    const rita = await teammate(nodeB, 'rita');
    const { p, deal } = await firstOpenDeal(ray);
    const ok = await ray.client.command('opportunity:move', { id: deal.id, stageId: p.stages[1]!.id, version: deal.version });
    expect(ok).toMatchObject({ ok: true, data: { success: true, opportunity: { id: deal.id, stageId: p.stages[1]!.id } } });
    const stale = await rita.client.command('opportunity:move', { id: deal.id, stageId: p.stages[4]!.id, version: deal.version });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
      current: { id: deal.id, stageId: p.stages[1]!.id, version: deal.version + 1 },
    });
  });

  it('answers a malformed command with a validation error and moves nothing', async () => {
    const ray = await teammate(nodeA, 'ray');
    const res = await ray.client.command('opportunity:move', { id: 'x', stageId: null, version: -1 });
    expect(res).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

describe('sync:resume', () => {
  it('replays every missed envelope in order, gap-free, after a reconnect to the other node', async () => {
    const ray = await signIn(nodeA, 'ray');
    const rita = await teammate(nodeA, 'rita');
    const teamId = ray.user.teamId!;
    const head = await rita.client.command('sync:resume', { lastSeq: {} });
    expect(head.ok).toBe(true);
    const lastSeq = head.ok ? head.data.latestSeq[String(teamId)]! : 0;
    rita.client.close();

    const { p } = await firstOpenDeal(ray);
    for (const [i, deal] of p.opportunities.slice(0, 5).entries()) {
      const r = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[i % 4]!.id, version: deal.version });
      expect([200, 409]).toContain(r.status);
    }

    const back = await teammate(nodeB, 'rita');
    const res = await back.client.command('sync:resume', { lastSeq: { [teamId]: lastSeq } });
    if (!res.ok) throw new Error(res.error.message);
    const seqs = res.data.events.map((e: AnyTeamEvent) => e.seq);
    expect(res.data.reset).toBe(false);
    expect(seqs.length).toBeGreaterThanOrEqual(1);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => lastSeq + 1 + i));
    expect(seqs.at(-1)).toBe(res.data.latestSeq[String(teamId)]);
  });

  it('says reset when the gap is beyond retention', async () => {
    const ray = await signIn(nodeA, 'ray');
    const { p, deal } = await firstOpenDeal(ray);
    await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[1]!.id, version: deal.version });
    await cluster.db.sequelize.query('DELETE FROM team_events WHERE team_id = :t AND seq = 1', { replacements: { t: ray.user.teamId } });
    const rita = await teammate(nodeB, 'rita');
    const res = await rita.client.command('sync:resume', { lastSeq: { [ray.user.teamId!]: 0 } });
    expect(res).toMatchObject({ ok: true, data: { reset: true } });
  });
});

describe('socket authentication', () => {
  it('refuses no token and a forged token with connect_error "unauthorized"', async () => {
    const ray = await signIn(nodeA, 'ray');
    await expect(connectWeapp(nodeA, undefined)).rejects.toThrow('unauthorized');
    await expect(connectWeapp(nodeB, `${ray.token}x`)).rejects.toThrow('unauthorized');
  });
});
