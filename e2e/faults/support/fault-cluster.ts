import { randomBytes } from 'node:crypto';
import { cloneDatabase } from '../../../realtime-server/test/support/databases.js';
import { startTcpProxy, type TcpProxy } from '../../../realtime-server/test/support/tcp-proxy.js';
import { waitFor } from './children.js';
import { addPhoneUsers } from './people.js';
import { type Phone, type PhoneUser, startPhone } from './phones.js';
import { type PrivateRedis, startPrivateRedis } from './redis-server.js';
import { type ServerNode, startServerNode } from './server-node.js';

export interface FaultCluster {
  databaseUrl: string;
  redis: PrivateRedis;
  nodes: [ServerNode, ServerNode];
  /** What a TCP load balancer does: new connections round-robin to a node that accepts them. */
  proxy: TcpProxy;
  phones: Phone[];
  users: PhoneUser[];
  stop(): Promise<void>;
}

/**
 * Two server processes on a fresh copy of the demo database, a Redis of their own, a balancer in
 * front, and one phone per user (`perTeam` reps in every team plus `admins`), all caught up.
 * `imports` are preloaded into both nodes (e.g. CRASH_AFTER_COMMIT).
 */
export async function startFaultCluster(
  template: string,
  opts: { perTeam: number; admins: number; imports?: string[] },
): Promise<FaultCluster> {
  const database = await cloneDatabase(template);
  const users = await addPhoneUsers(database.url, opts.perTeam, opts.admins);
  const redis = await startPrivateRedis();
  const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, REDIS_KEY: `fault-${randomBytes(4).toString('hex')}` };
  const start = (id: string) => startServerNode(id, env, undefined, opts.imports);
  const nodes = (await Promise.all([start('node-a'), start('node-b')])) as [ServerNode, ServerNode];
  const proxy = await startTcpProxy(nodes.map((n) => n.port));
  const phones = users.map((u) => startPhone(proxy.url, u));
  await waitFor('every phone online and caught up', () => phones.every((p) => p.client.isSynced()), 60_000);
  return {
    databaseUrl: database.url,
    redis,
    nodes,
    proxy,
    phones,
    users,
    async stop() {
      for (const p of phones) p.client.stop();
      await proxy.close();
      await Promise.all(nodes.map((n) => n.child.kill('SIGTERM')));
      await redis.stop();
      await database.drop();
    },
  };
}

export const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : 0);
export const median = (xs: number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);
