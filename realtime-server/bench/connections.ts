/**
 * `npm run bench:connections -w realtime-server`: what 10,000 phones cost ONE node, and how they come
 * back when it restarts. One node (its own process, production settings, the Redis adapter) on a
 * throwaway database with one seeded rep per phone; the phones (phones.ts: the mini program's own
 * realtime client over weapp.socket.io) spread over several load generator processes.
 * 1. Phones connect in steps (0, 1/4, 1/2, all); at each the node is sampled after a full GC: heap and
 *    RSS per connection from the half → all slope, and the absolute figures.
 * 2. Reconnect storm (storm.ts): the node restarts on its port while another node commits moves; the
 *    time until every phone is at its team's latest seq, per-phone p50/p99, failed reconnects, and
 *    the node's CPU and RSS peak.
 * Knobs: BENCH_CONN_PHONES (10000), BENCH_CONN_LOADGENS (4), BENCH_CONN_MISSED (5 moves per team
 * while the node is down), BENCH_CONN_STORM_S (180, longest wait for the storm to settle).
 * The node holds every socket: `ulimit -n` must be at least phones + 1024 (`ulimit -n 65536` first).
 * Results: bench/results/<date>-connections.md; another size is a smoke run, <date>-connections-<phones>-quick.md (not kept in git).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBenchDatabase } from './bench-db.js';
import { startPhones, startServers, type ChildServers, type PhoneFleet } from './cluster.js';
import { renderConnections, type MemoryStep } from './connections-report.js';
import { checkFileLimit, commitLine, machineLine, REPO } from './machine.js';
import { quiesce } from './measure.js';
import type { ProcStats } from './proc-stats.js';
import { busyBefore } from './stats.js';
import { runStorm, type StormOutcome } from './storm.js';

const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};
const FULL = 10_000;
const PHONES = num('BENCH_CONN_PHONES', FULL);
const LOADGENS = num('BENCH_CONN_LOADGENS', 4);
const MISSED = num('BENCH_CONN_MISSED', 5);
const STORM_MS = num('BENCH_CONN_STORM_S', 180) * 1000;
const TEAM_SIZE = 100;
const log = (line: string) => process.stdout.write(`${line}\n`);

/** Connects up to each step and samples the node (two full GCs) and the load generators once quiet. */
async function memorySteps(node: ChildServers, fleet: PhoneFleet): Promise<MemoryStep[]> {
  const steps: MemoryStep[] = [];
  for (const phones of [0, 0.25, 0.5, 1].map((f) => Math.round(PHONES * f))) {
    const c = await fleet.connect(phones);
    await sleep(1000);
    await quiesce([...node.procs, ...fleet.procs]);
    const [stats] = await node.stats(true);
    const loadgens = await fleet.all<ProcStats>('stats', { collect: true });
    steps.push({ phones, connected: c.connected, failed: c.failed, connectMs: c.ms, node: stats!, loadgens });
    log(
      `  ${phones} phones: ${stats!.connections} sockets on the node (${c.failed} failed, ${(c.ms / 1000).toFixed(1)} s), heap ${(stats!.heapUsed / 2 ** 20).toFixed(1)} MB, RSS ${(stats!.rss / 2 ** 20).toFixed(1)} MB`,
    );
  }
  return steps;
}

const logStorm = (s: StormOutcome) =>
  log(
    `  storm: restart → all current ${(s.allCurrentMs / 1000).toFixed(2)} s (drain ${(s.drainMs / 1000).toFixed(2)} s, start ${(s.startMs / 1000).toFixed(2)} s), ` +
      `${s.missed} events missed, ${s.notCurrent} not current, ${s.notOnline} not online, node CPU peak ${s.node.cpuPeakPct.toFixed(0)}%, RSS peak ${(s.node.rssPeak / 2 ** 20).toFixed(0)} MB`,
  );

async function main(): Promise<void> {
  const started = new Date();
  checkFileLimit(PHONES);
  const quiet = await busyBefore();
  log(`Connections bench: ${PHONES} phones on one node, ${LOADGENS} load generators. ${quiet}`);
  const db = await createBenchDatabase([{ key: 'conn', clients: PHONES, teamSize: TEAM_SIZE }], 0);
  const teams = db.groups.get('conn')!;
  let node: ChildServers | null = null;
  let fleet: PhoneFleet | null = null;
  let steps: MemoryStep[] = [];
  let storm: StormOutcome | null = null;
  try {
    node = await startServers('ours', { databaseUrl: db.url, nodes: 1 });
    fleet = await startPhones(node.urls[0]!, teams, db.tenantId, LOADGENS);
    steps = await memorySteps(node, fleet);
    storm = await runStorm(db.url, node, fleet, teams, db.tenantId, { missed: Math.min(MISSED, TEAM_SIZE), timeoutMs: STORM_MS });
    logStorm(storm);
  } finally {
    await fleet?.stop();
    await node?.stop();
    await db.drop();
  }
  const size = PHONES === FULL ? '' : `-${PHONES}-quick`;
  const env = [PHONES === FULL ? '' : `BENCH_CONN_PHONES=${PHONES} `, LOADGENS === 4 ? '' : `BENCH_CONN_LOADGENS=${LOADGENS} `].join('');
  const md = renderConnections({
    started,
    seconds: (Date.now() - started.getTime()) / 1000,
    command: `${env}npm run bench:connections -w realtime-server`,
    machine: machineLine(),
    commit: commitLine(),
    quiet,
    library: fleet.library,
    teams: teams.length,
    teamSize: TEAM_SIZE,
    steps,
    storm,
  });
  const dir = resolve(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${started.toISOString().slice(0, 10)}-connections${size}.md`);
  writeFileSync(file, md);
  log(`\n${md}\nWritten to ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`connections bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
