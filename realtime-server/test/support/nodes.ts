import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import { createDatabase, type Database } from '@live-crm/models';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createNode, type CrmNode } from '../../src/node.js';
import { cloneDatabase } from './databases.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestNode {
  url: string;
  port: number;
  node: CrmNode;
  db: Database;
  stop(): Promise<void>;
}

export interface TestCluster {
  nodes: TestNode[];
  databaseUrl: string;
  /** A second connection pool on the same database, for assertions. */
  db: Database;
  stop(): Promise<void>;
}

function testConfig(env: Record<string, string>): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    // A test acts faster than a person: per-user limits would answer 429 depending on the machine's
    // speed. Tests of the limits themselves (security/rate-limits, export-downloads) set their own.
    RATE_LIMIT_PER_SEC: '100000',
    RATE_LIMIT_BURST: '100000',
    // `REDIS_ADAPTER=sharded npx vitest run` runs every multi-node test over SPUBLISH.
    ...(process.env['REDIS_ADAPTER'] ? { REDIS_ADAPTER: process.env['REDIS_ADAPTER'] } : {}),
    ...env,
  });
}

/** A real node (Express + Socket.IO, optional Redis adapter) on a loopback port; `logger` to read what it logs. */
export async function startNodeOn(
  databaseUrl: string,
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): Promise<TestNode> {
  const config = testConfig({ DATABASE_URL: databaseUrl, ...env });
  const db = createDatabase({ url: databaseUrl, poolMax: 10, defaultTimeZone: config.timeZone });
  const logger = opts.logger ?? createLogger(config.logLevel, config.nodeId);
  const node = await createNode({ config, db, logger, jwtSecret: TEST_JWT_SECRET });
  const port = await node.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    node,
    db,
    async stop() {
      await node.close();
      await db.close();
    },
  };
}

/**
 * N nodes sharing one fresh database and, when n > 1 or `redis` is set, Redis with a channel prefix
 * of their own (the default `socket.io` prefix would leak broadcasts between test files).
 */
export async function startCluster(n = 1, opts: { redis?: boolean; env?: Record<string, string> } = {}): Promise<TestCluster> {
  const database = await cloneDatabase(inject('templateDb'));
  const useRedis = opts.redis ?? n > 1;
  const env: Record<string, string> = { ...(opts.env ?? {}) };
  if (useRedis) Object.assign(env, { REDIS_URL, REDIS_KEY: `livecrm-test-${randomBytes(6).toString('hex')}` });
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) nodes.push(await startNodeOn(database.url, { ...env, NODE_ID: `node-${String.fromCharCode(97 + i)}` }));
  const db = createDatabase({ url: database.url, poolMax: 4 });
  return {
    nodes,
    databaseUrl: database.url,
    db,
    async stop() {
      await Promise.allSettled(nodes.map((x) => x.stop()));
      await db.close();
      await database.drop();
    },
  };
}

/** One node on its own fresh database; what page tests need. */
export async function startTestNode(
  opts: { redis?: boolean; env?: Record<string, string> } = {},
): Promise<TestNode & { cluster: TestCluster }> {
  const cluster = await startCluster(1, opts);
  const node = cluster.nodes[0]!;
  return { ...node, cluster, stop: () => cluster.stop() };
}
