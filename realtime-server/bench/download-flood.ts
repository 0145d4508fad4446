/**
 * A flood of downloads of one signed export link, and what it does to another user.
 *
 *   npx tsx realtime-server/bench/download-flood.ts [--parallel 300] [--rows 5000] [--seconds 15]
 *
 * Seeds a throwaway database (migrations, demo seed, then N customers in ray's team), starts one
 * node as its own process with production settings (default rate limits, Redis), asks
 * POST /api/crm/export for a link as ray, then for `--seconds` fires rounds of `--parallel`
 * simultaneous downloads of that link (each round waits for all of them) while rita lists her
 * customers back to back, well inside her own rate limit. Prints rita's latency (before and during
 * the flood) and what the downloads were answered. Needs PostgreSQL (TEST_DATABASE_URL) and Redis.
 */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { seedDemo } from '../src/seed/demo.seed.js';
import { createEmptyDatabase } from '../test/support/databases.js';
import { JWT_SECRET, REDIS_URL } from './cluster.js';
import { BenchChild, serve } from './ipc.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    parallel: { type: 'string', default: '300' },
    rows: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '15' },
  },
});
const PARALLEL = Number(args.parallel);
const ROWS = Number(args.rows);
const SECONDS = Number(args.seconds);
/** Rita's pause between requests: about 10 a second, half her 20/s budget. */
const THINK_MS = 100;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function seed(db: Database) {
  await createMigrator(db.sequelize).up();
  await seedDemo(db);
  const [ray, rita] = await Promise.all(['ray', 'rita'].map((login) => db.models.User.findOne({ where: { login } })));
  await db.sequelize.query(
    `INSERT INTO customers (tenant_id, team_id, name, company, phone, email, status, owner_id, address, last_contact_at, created_at, updated_at)
     SELECT :tenantId, :teamId, '客户' || i, '上海明达贸易有限公司 ' || (i % 997), '139' || lpad(CAST(i AS text), 8, '0'),
       'c' || i || '@example.cn', 'prospect', :ownerId, '上海市 ' || (i % 500) || ' 号', now() - (i % 90) * interval '1 day', now(), now()
     FROM generate_series(1, :rows) AS i`,
    { replacements: { tenantId: ray!.tenantId, teamId: ray!.teamId, ownerId: ray!.id, rows: ROWS } },
  );
  const signer = createTokenSigner(JWT_SECRET);
  return { ray: signer.sign(ray!.id, ray!.tenantId), rita: signer.sign(rita!.id, rita!.tenantId) };
}

const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(1)} ms`;
  return `n ${s.length}, p50 ${f(percentile(s, 50))}, p99 ${f(percentile(s, 99))}, max ${f(s.at(-1) ?? NaN)}`;
};

/** Rita's requests for `ms`, each latency recorded; run in a process of her own, apart from the flood. */
async function ritaLoop({ base, token, ms }: { base: string; token: string; ms: number }): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/crm/customers?limit=20`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`rita got ${res.status}`);
    times.push(performance.now() - t0);
    await sleep(THINK_MS);
  }
  return times;
}

/** One round: `PARALLEL` downloads at once on their own connections, each read to the end. */
async function flood(link: string, agent: Agent, tally: Map<number, number>): Promise<void> {
  await Promise.all(
    Array.from(
      { length: PARALLEL },
      () =>
        new Promise<void>((resolve) => {
          get(link, { agent }, (res) => {
            res.resume();
            res.on('end', () => {
              tally.set(res.statusCode ?? 0, (tally.get(res.statusCode ?? 0) ?? 0) + 1);
              resolve();
            });
          }).on('error', () => {
            tally.set(0, (tally.get(0) ?? 0) + 1);
            resolve();
          });
        }),
    ),
  );
}

async function main(): Promise<void> {
  const scratch = await createEmptyDatabase('livecrm_bench');
  const db = createDatabase({ url: scratch.url, poolMax: 4 });
  let node: BenchChild | undefined;
  let rita: BenchChild | undefined;
  try {
    const tokens = await seed(db);
    node = BenchChild.start('ours-1', new URL('./node-process.ts', import.meta.url).pathname, {
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      REDIS_URL,
      REDIS_KEY: `livecrm-bench-dl-${scratch.name}`,
      JWT_SECRET,
      PUBLIC_URL: 'http://127.0.0.1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ID: 'bench-dl',
      AUTH_DEV_LOGIN: '0',
    });
    const base = `http://127.0.0.1:${(await node.ready)['port']}`;
    const made = await fetch(`${base}/api/crm/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.ray}`, 'content-type': 'application/json' },
      body: '{"type":"customers"}',
    });
    // The link is built on PUBLIC_URL; the bench sends it to the node's own port.
    const signed = new URL(((await made.json()) as { downloadUrl: string }).downloadUrl);
    const link = `${base}${signed.pathname}${signed.search}`;
    log(`seeded ${ROWS} customers; one node (${base}), Redis; ${PARALLEL} parallel downloads a round for ${SECONDS} s`);

    rita = BenchChild.start('rita', new URL(import.meta.url).pathname, { BENCH_ROLE: 'rita' });
    await rita.ready;
    const ritaFor = (ms: number) => rita!.call<number[]>('run', { base, token: tokens.rita, ms });
    log(`rita alone:         ${summary(await ritaFor(5000))}`);

    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const tally = new Map<number, number>();
    const during = ritaFor(SECONDS * 1000);
    const t0 = performance.now();
    let rounds = 0;
    while (performance.now() - t0 < SECONDS * 1000) {
      await flood(link, agent, tally);
      rounds += 1;
    }
    const busy = await during;
    agent.destroy();
    log(`rita during flood:  ${summary(busy)}`);
    const answers = [...tally]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    log(`downloads: ${rounds} rounds of ${PARALLEL} in ${((performance.now() - t0) / 1000).toFixed(1)} s; answers ${answers}`);
  } finally {
    await Promise.all([node?.stop(), rita?.stop()]);
    await db.close();
    await scratch.drop();
  }
}

if (process.env['BENCH_ROLE'] === 'rita') {
  serve({
    run: ritaLoop,
    stop: () => {
      setImmediate(() => process.exit(0));
    },
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
