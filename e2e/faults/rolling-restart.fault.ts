import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cloneDatabase } from '../../realtime-server/test/support/databases.js';
import { run, sleep, waitFor } from './support/children.js';
import { max, median } from './support/fault-cluster.js';
import { type Balancer, startHaproxy } from './support/haproxy.js';
import { addPhoneUsers, eventLog, writerSpecs } from './support/people.js';
import { backOnlineAt, caughtUp, caughtUpAt, missing, type Phone, startPhone } from './support/phones.js';
import { type PrivateRedis, startPrivateRedis } from './support/redis-server.js';
import { type ServerNode, startServerNode } from './support/server-node.js';
import { startWriters } from './support/writers.js';

/** 3 teams x 95 reps + 15 admins of the first tenant: 300 phones. */
const PER_TEAM = 95;
const ADMINS = 15;
const WRITERS = ['ray', 'rita', 'will', 'wes', 'olga', 'oscar'];

let database: Awaited<ReturnType<typeof cloneDatabase>>;
let redis: PrivateRedis;
let nodes: ServerNode[];
let lb: Balancer;
let phones: Phone[] = [];
let env: Record<string, string>;

/** The production build, as an operator runs it: dev login on only so the writers can sign in. */
const startNode = (id: string, port?: number) =>
  startServerNode(id, env, 60_000, [], { compiled: true, ...(port === undefined ? {} : { port }) });

beforeAll(async () => {
  const [db] = await Promise.all([cloneDatabase(inject('templateDb')), run('npm', ['run', '--silent', 'build'])]);
  database = db;
  const users = await addPhoneUsers(database.url, PER_TEAM, ADMINS);
  redis = await startPrivateRedis();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY: `rolling-${randomBytes(4).toString('hex')}`,
    AUTH_DEV_LOGIN: '1',
    SHUTDOWN_DEADLINE_MS: '10000',
  };
  nodes = await Promise.all(['node-1', 'node-2', 'node-3'].map((id) => startNode(id)));
  lb = await startHaproxy(nodes.map((n) => n.port));
  phones = users.map((u) => startPhone(lb.url, u));
  await waitFor('every phone online and caught up', () => phones.every((p) => p.client.isSynced()), 90_000);
});
afterAll(async () => {
  for (const p of phones) p.client.stop();
  await lb?.stop();
  await Promise.all((nodes ?? []).map((n) => n.child.kill('SIGTERM')));
  await redis?.stop();
  await database?.drop();
});

describe('rolling restart of 3 nodes behind HAProxy', () => {
  it('drains and restarts each node in turn under 300 phones: no event lost, no write failed, every phone current within 10 s', async () => {
    expect(phones.length).toBe(300);
    const stream = startWriters(() => lb.url, await writerSpecs(lb.url, WRITERS));
    await sleep(2000);

    const restarts: Array<{ node: string; drainMs: number; exit: unknown; backUpMs: number }> = [];
    const firstTermAt = Date.now();
    for (const [i, node] of [...nodes.entries()]) {
      const name = `node${i + 1}`;
      const mark = lb.child.lines.length;
      const termAt = Date.now();
      await node.child.kill('SIGTERM');
      const drainMs = Date.now() - termAt;
      nodes[i] = await startNode(node.id, node.port);
      await lb.waitForServer(name, 'UP', mark);
      restarts.push({ node: node.id, drainMs, exit: node.child.exit, backUpMs: Date.now() - termAt });
      expect(node.problems(), `${node.id} logged no error while draining`).toEqual([]);
      expect(node.child.lines.filter((l) => l.includes('drain deadline'))).toEqual([]);
    }
    const lastRestartAt = Date.now();
    await sleep(1000);
    await stream.stop({ finish: true });
    const { heads } = await eventLog(database.url);
    await waitFor('every phone at the latest seq', () => phones.every((p) => caughtUp(p, heads)), 15_000, 50).catch(() => undefined);

    const caughtUpMs = phones.map((p) => (caughtUpAt(p, heads) ?? Infinity) - lastRestartAt);
    const dropped = phones.filter((p) => backOnlineAt(p, firstTermAt) !== null);
    const reconnects = phones.map((p) => p.statuses.filter((s) => s.at >= firstTermAt && s.status === 'online').length);
    const lost = phones.reduce((n, p) => n + missing(p, heads), 0);
    const unanswered = stream.records.filter((r) => !r.done);
    console.info(
      JSON.stringify({
        figure: 'rolling-restart',
        phones: phones.length,
        restarts,
        eventsCommitted: [...heads.values()].reduce((n, h) => n + h, 0),
        writes: stream.records.length,
        writesRetried: stream.records.filter((r) => r.attempts.length > 1).length,
        retryStatuses: [...new Set(stream.records.flatMap((r) => r.attempts.slice(0, -1).map((a) => a.status)))],
        writesUnanswered: unanswered.length,
        eventsLost: lost,
        duplicatesShown: phones.reduce((n, p) => n + p.duplicates, 0),
        resets: phones.reduce((n, p) => n + p.resets.length, 0),
        phonesThatReconnected: dropped.length,
        reconnectsPerPhone: { median: median(reconnects), max: max(reconnects) },
        lastRestartToLatestSeqMs: { median: median(caughtUpMs), max: max(caughtUpMs) },
      }),
    );

    expect(
      unanswered.map((r) => r.attempts),
      'every write answered 2xx, retried with its key at most',
    ).toEqual([]);
    expect(lost, 'committed events a phone never showed').toBe(0);
    expect(phones.reduce((n, p) => n + p.duplicates + p.resets.length, 0)).toBe(0);
    expect(max(caughtUpMs), 'slowest phone to reach the latest seq after the last restart').toBeLessThanOrEqual(10_000);
    for (const r of restarts) {
      expect(r.exit, `${r.node} drained and exited 0`).toEqual({ code: 0, signal: null });
      expect(r.drainMs, `${r.node} drained before the deadline had to cut anything`).toBeLessThan(9000);
    }
    expect(dropped.length, 'every phone was on a node when it drained, and came back').toBe(phones.length);
    expect(phones.every((p) => p.client.isSynced())).toBe(true);
    for (const n of nodes) expect((await n.health()).status).toBe(200);
    expect(lb.child.alive()).toBe(true);
  });
});
