/**
 * One Live CRM node as its own process (so its CPU and heap are measurable on their own):
 * `node --import tsx realtime-server/bench/node-process.ts` with the node's usual env.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDatabase } from '@live-crm/models';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createNode } from '../src/node.js';
import { serve } from './ipc.js';
import { cpuProfiler, procStats } from './proc-stats.js';

const config = loadConfig(process.env);
if (!config.databaseUrl || !config.jwtSecret) throw new Error('node-process needs DATABASE_URL and JWT_SECRET');
const db = createDatabase({
  url: config.databaseUrl,
  poolMax: Number(process.env['BENCH_POOL_MAX'] ?? 10),
  poolIdleMs: config.poolIdleMs,
  defaultTimeZone: config.timeZone,
});
// What the bench asks "how many round trips does a move cost?": every statement sent on any pg
// client (Sequelize's and the raw prepared ones alike), and those reading users.
const queries = { total: 0, users: 0 };
const send = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  queries.total++;
  if (/\bFROM "?users"?/.test(text)) queries.users++;
  return send.apply(this, args);
} as typeof pg.Client.prototype.query;
const node = await createNode({ config, db, logger: createLogger(config.logLevel, config.nodeId), jwtSecret: config.jwtSecret });
const port = await node.listen();

/**
 * Server-side time of one catch-up by `sync:resume`, every page of it: what the socket handler does
 * (the service reading the missed envelopes) plus encoding the acks, which Socket.IO does with JSON.stringify.
 */
async function timeResume({ token, lastSeq, runs }: { token: string; lastSeq: Record<string, number>; runs: number }) {
  const actor = await node.services.auth.authenticate(token);
  const times: number[] = [];
  let events = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const seen = { ...lastSeq };
    [events, bytes] = [0, 0];
    for (let more = true; more;) {
      const result = await node.services.sync.resume(actor, seen);
      bytes += JSON.stringify(result).length;
      events += result.events.length;
      for (const e of result.events) seen[String(e.teamId)] = e.seq;
      more = result.hasMore && result.events.length > 0;
    }
    times.push(performance.now() - t0);
  }
  return { times, events, bytes };
}

serve(
  {
    stats: ({ collect }: { collect?: boolean }) => procStats(node.io.engine.clientsCount, collect),
    resume: timeResume,
    queries: () => ({ ...queries }),
    ...cpuProfiler(),
    async stop() {
      await node.close();
      await db.close();
      setImmediate(() => process.exit(0));
    },
  },
  { port },
);
