import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSettings, PhaseDef } from './bench-config.js';
import type { Loadgens, ServerSet } from './cluster.js';
import type { PhaseSpec } from './drive.js';
import type { BenchChild } from './ipc.js';
import type { ProcStats } from './proc-stats.js';
import type { WindowResult } from './recorder.js';
import { machineCpu, merged, percentile } from './stats.js';

/** One run of one phase against one implementation. */
export interface RunMetrics extends Record<string, number> {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  deliveriesPerSec: number;
  /** Delivered / expected, 0..1. */
  completion: number;
  /** Server processes' CPU (user + system) per delivery, microseconds. */
  cpuUsPerDelivery: number;
  /** PostgreSQL backends' CPU per delivery (ours only), microseconds. */
  dbCpuUsPerDelivery: number;
  /** Load generators' CPU per delivery (sending moves, receiving events), microseconds. */
  clientCpuUsPerDelivery: number;
  /** Server processes' CPU, % of one core (both processes summed). */
  serverCpuPct: number;
  /** Whole machine busy %, all cores (includes PostgreSQL, Redis, load generators). */
  machineBusyPct: number;
  /** Machine busy % not spent by the bench's servers, PostgreSQL backends or load generators. */
  otherBusyPct: number;
  answerP50: number;
  answerP99: number;
  movesPerSec: number;
  failed: number;
  lost: number;
}

const JIFFY_US = 10_000; // /proc/stat counts in 1/100 s

interface Snapshot {
  t: number;
  cpu: { busy: number; total: number };
  procs: ProcStats[];
  db: number;
  clients: number;
}

const snapshot = async (servers: ServerSet, lgs: Loadgens): Promise<Snapshot> => {
  const [procs, db, clients] = await Promise.all([
    servers.stats(),
    servers.dbCpu(),
    Promise.all(lgs.procs.map((p) => p.call<ProcStats>('stats'))),
  ]);
  return { t: performance.now(), cpu: machineCpu(), procs, db, clients: clients.reduce((n, c) => n + c.cpuMicros, 0) };
};

/** With a profile target, each server process is CPU-profiled over the measured window only. */
async function edge(
  servers: ServerSet,
  lgs: Loadgens,
  profile: { file: (i: number) => string } | undefined,
  first: boolean,
): Promise<Snapshot> {
  if (profile && !first) await Promise.all(servers.procs.map((p, i) => p.call('profileStop', { file: profile.file(i) })));
  const snap = await snapshot(servers, lgs);
  if (profile && first) await Promise.all(servers.procs.map((p) => p.call('profileStart')));
  return snap;
}

/** Drives one phase on every load generator and samples the servers at the window's edges. */
export async function measureRun(
  servers: ServerSet,
  lgs: Loadgens,
  phase: Pick<PhaseDef, 'spec'>,
  s: BenchSettings,
  sample: unknown,
  profile?: { file: (i: number) => string },
): Promise<{ metrics: RunMetrics; sample: unknown }> {
  const base: PhaseSpec = { ...phase.spec, warmupMs: s.warmupMs, measureMs: s.measureMs, drainMs: s.drainMs };
  const runs = lgs.procs.map((p, i) =>
    p.call<WindowResult & { lost: number }>('run', {
      spec: base.rate === undefined ? base : { ...base, rate: base.rate * lgs.shares[i]! },
      sample,
    }),
  );
  const edges = [
    sleep(s.warmupMs).then(() => edge(servers, lgs, profile, true)),
    sleep(s.warmupMs + s.measureMs).then(() => edge(servers, lgs, profile, false)),
  ];
  const results = await Promise.all(runs);
  const [a, b] = (await Promise.all(edges)) as [Snapshot, Snapshot];

  const seconds = s.measureMs / 1000;
  const latencies = merged(results.map((r) => r.latencies));
  const answers = merged(results.map((r) => r.answers));
  const sum = (f: (r: WindowResult & { lost: number }) => number) => results.reduce((n, r) => n + f(r), 0);
  const delivered = sum((r) => r.delivered);
  const expected = sum((r) => r.expected);
  const cpuMicros = b.procs.reduce((n, p, i) => n + p.cpuMicros - a.procs[i]!.cpuMicros, 0);
  const sampledSeconds = (b.t - a.t) / 1000;
  const deliveriesPerSec = delivered / seconds;
  return {
    sample: results.find((r) => r.sample)?.sample ?? sample,
    metrics: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.length ? latencies[latencies.length - 1]! : NaN,
      deliveriesPerSec,
      completion: expected ? delivered / expected : 0,
      cpuUsPerDelivery: delivered ? cpuMicros / (deliveriesPerSec * sampledSeconds) : NaN,
      dbCpuUsPerDelivery: delivered ? (b.db - a.db) / (deliveriesPerSec * sampledSeconds) : NaN,
      clientCpuUsPerDelivery: delivered ? (b.clients - a.clients) / (deliveriesPerSec * sampledSeconds) : NaN,
      serverCpuPct: (cpuMicros / 1e6 / sampledSeconds) * 100,
      machineBusyPct: ((b.cpu.busy - a.cpu.busy) / (b.cpu.total - a.cpu.total)) * 100,
      otherBusyPct:
        Math.max(
          0,
          ((b.cpu.busy - a.cpu.busy) * JIFFY_US - cpuMicros - (b.db - a.db) - (b.clients - a.clients)) /
            ((b.cpu.total - a.cpu.total) * JIFFY_US),
        ) * 100,
      answerP50: percentile(answers, 50),
      answerP99: percentile(answers, 99),
      movesPerSec: sum((r) => r.moves) / seconds,
      failed: sum((r) => r.failed),
      lost: sum((r) => r.lost),
    },
  };
}

/**
 * Waits until every bench process is idle (under 5% of a core over half a second), so a run never
 * starts while the previous one is still draining backlogs somewhere; gives up after `maxMs`.
 */
export async function quiesce(procs: BenchChild[], maxMs = 30_000): Promise<number> {
  return quiesceCpu(() => Promise.all(procs.map((p) => p.call<ProcStats>('stats').then((x) => x.cpuMicros))), maxMs);
}

/** `quiesce` for any processes whose CPU times (microseconds) `cpu` samples, e.g. ones read from /proc. */
export async function quiesceCpu(cpu: () => Promise<number[]>, maxMs = 30_000): Promise<number> {
  const t0 = performance.now();
  let before = await cpu();
  while (performance.now() - t0 < maxMs) {
    await sleep(500);
    const after = await cpu();
    const busiest = Math.max(...after.map((c, i) => c - before[i]!));
    if (busiest < 25_000) break;
    before = after;
  }
  return performance.now() - t0;
}

/** Heap and RSS growth per client connected between two samples, summed over the processes. */
export function perConnection(before: ProcStats[], after: ProcStats[]): { heap: number; rss: number; connections: number } {
  const sum = (list: ProcStats[], f: (p: ProcStats) => number) => list.reduce((n, p) => n + f(p), 0);
  const added = sum(after, (p) => p.connections) - sum(before, (p) => p.connections);
  return {
    heap: (sum(after, (p) => p.heapUsed) - sum(before, (p) => p.heapUsed)) / added,
    rss: (sum(after, (p) => p.rss) - sum(before, (p) => p.rss)) / added,
    connections: sum(after, (p) => p.connections),
  };
}
