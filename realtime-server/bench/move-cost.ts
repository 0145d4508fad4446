/**
 * Cost of one move without fan-out: node CPU and PostgreSQL backend CPU per move, and answer
 * latency, at a few concurrencies. Steadier than the full bench on a busy machine, so it is what
 * server changes are judged with: `npx tsx realtime-server/bench/move-cost.ts [moves] [--cadence]`
 * (--cadence also counts queries per move when each rep moved 31 s before, as at design load).
 * BENCH_MOVE=socket moves over `opportunity:move` (socket.io-client), one rep per team so no
 * teammate's delivery is counted.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { createBenchDatabase } from './bench-db.js';
import { JWT_SECRET, startServers } from './cluster.js';
import { clientFactory } from './bench-client.js';
import { restSender, socketSender, type Member } from './senders.js';
import { summarizeProfiles } from './profile-summary.js';
import { backendCpu, median, percentile } from './stats.js';

const moves = Number(process.argv[2] ?? 1500);
const withCadence = process.argv.includes('--cadence');
const overSocket = process.env['BENCH_MOVE'] === 'socket';
const db = await createBenchDatabase([{ key: 'm', clients: 400, teamSize: overSocket ? 1 : 10 }], 10);
const servers = await startServers('ours', { databaseUrl: db.url, nodes: 2 });
const pgCpu = backendCpu(db.url);
const signer = createTokenSigner(JWT_SECRET);
const members: Member[] = db.groups.get('m')!.flatMap((t) =>
  t.members.map((m, j) => ({
    ...m,
    token: signer.sign(m.userId, db.tenantId),
    stages: t.stages,
    teamId: t.teamId,
    url: servers.urls[j % 2]!,
  })),
);
if (overSocket) {
  const client = await clientFactory('socket.io-client');
  for (const m of members) m.socket = await client.connect(m.url, { token: m.token });
}
const send = overSocket ? socketSender() : restSender();

const profileDir =
  process.env['BENCH_PROFILE'] === '1'
    ? resolve(import.meta.dirname, '../../bench/results/profiles', `move-cost-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    : undefined;

async function round(concurrency: number, n: number, profile = false) {
  if (profile) await Promise.all(servers.procs.map((p) => p.call('profileStart')));
  const cpu0 = (await servers.stats()).reduce((a, p) => a + p.cpuMicros, 0);
  const pg0 = await pgCpu.sample();
  const client0 = process.cpuUsage();
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const m = members[next++ % members.length]!;
        const s = performance.now();
        if (!(await send(m))) throw new Error('move refused');
        times.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  if (profile)
    await Promise.all(
      servers.procs.map((p, i) =>
        p.call('profileStop', { file: resolve(profileDir!, `c${concurrency}-node${i + 1}-${Date.now()}.cpuprofile`) }),
      ),
    );
  const cpu = (await servers.stats()).reduce((a, p) => a + p.cpuMicros, 0) - cpu0;
  const pgUs = (await pgCpu.sample()) - pg0;
  times.sort((a, b) => a - b);
  return {
    concurrency,
    movesPerSec: n / seconds,
    nodeUs: cpu / n,
    pgUs: pgUs / n,
    clientUs: (client.user + client.system) / n,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  };
}

type Counts = { total: number; users: number };
const queryCounts = async (): Promise<Counts> =>
  (await Promise.all(servers.procs.map((p) => p.call<Counts>('queries')))).reduce(
    (a, c) => ({ total: a.total + c.total, users: a.users + c.users }),
    { total: 0, users: 0 },
  );

/** Queries per move with every rep's last move `idleMs` ago (the design load: one move per rep per 30 s). */
async function perMove(idleMs: number, n = 100) {
  await sleep(idleMs);
  const q0 = await queryCounts();
  for (const m of members.slice(0, n)) await send(m);
  const q1 = await queryCounts();
  return { total: (q1.total - q0.total) / n, users: (q1.users - q0.users) / n };
}

try {
  await round(8, 400); // warm the JIT, pools and caches
  const hot = await perMove(0);
  process.stdout.write(`queries per move, back to back: ${hot.total.toFixed(2)} (users lookups ${hot.users.toFixed(2)})\n`);
  if (withCadence) {
    const slow = await perMove(31_000);
    process.stdout.write(
      `queries per move, each rep's previous move 31 s earlier: ${slow.total.toFixed(2)} (users lookups ${slow.users.toFixed(2)})\n`,
    );
  }
  for (const c of [1, 16]) {
    const n = c === 1 ? Math.round(moves / 3) : moves;
    const runs = [await round(c, n), await round(c, n, Boolean(profileDir) && c > 1)];
    const m = (k: keyof (typeof runs)[0]) => median(runs.map((r) => r[k])).toFixed(1);
    process.stdout.write(
      `concurrency ${c}: ${m('movesPerSec')} moves/s, node CPU ${m('nodeUs')} µs/move, PostgreSQL backends ${m('pgUs')} µs/move, HTTP client ${m('clientUs')} µs/move, answer p50 ${m('p50')} ms p99 ${m('p99')} ms\n`,
    );
  }
  if (profileDir) process.stdout.write(`${summarizeProfiles(profileDir, 30).join('\n')}\n`);
} finally {
  for (const m of members) m.socket?.disconnect();
  await pgCpu.close();
  await servers.stop();
  await db.drop();
}
process.exit(0);
