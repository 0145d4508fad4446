/**
 * Capacity at a latency goal (issue 18): the highest open-loop move rate at which teammates' delivery
 * p99 stays under the goal with every delivery made, searched separately for ours and for bare.
 */
import type { BenchSettings, CapacityDef, CapacitySettings, GroupDef } from './bench-config.js';
import type { Kind, Loadgens, ServerSet } from './cluster.js';
import { measureRun, quiesce, type RunMetrics } from './measure.js';

export interface CapacityStep {
  rate: number;
  pass: boolean;
  metrics: RunMetrics;
}
export interface CapacityResult {
  /** The highest passing step; null when even the lowest rate tried failed. */
  best: CapacityStep | null;
  /** The lowest failing rate above `best`; null when the steps ran out first (then `best` is a lower bound). */
  ceiling: number | null;
  steps: CapacityStep[];
}
export interface CapacityOutcome {
  group: GroupDef;
  def: CapacityDef;
  ours: CapacityResult;
  bare: CapacityResult;
}

/**
 * A step passes when the p99 is under the goal and every delivery was made, no move refused, no
 * socket lost, and the offered rate really went out (the open loop skips a team whose reps are all
 * waiting for answers, which would otherwise hide an overload).
 */
export function passes(m: RunMetrics, rate: number, goalP99Ms: number): boolean {
  return m.p99 < goalP99Ms && m.completion >= 1 && m.failed === 0 && m.lost === 0 && m.movesPerSec >= 0.9 * rate;
}

type Tried = Pick<CapacityStep, 'rate' | 'pass'>;

/** Highest passing rate and lowest failing rate above it, so far; a rate run twice counts its later run. */
function bracket(steps: Tried[]): { lo: number | null; hi: number | null } {
  const latest = [...new Map(steps.map((s) => [s.rate, s.pass])).entries()];
  const passed = latest.filter(([, pass]) => pass).map(([rate]) => rate);
  const lo = passed.length ? Math.max(...passed) : null;
  const failed = latest.filter(([rate, pass]) => !pass && (lo === null || rate > lo)).map(([rate]) => rate);
  return { lo, hi: failed.length ? Math.min(...failed) : null };
}

/**
 * Doubles until a step misses (halves while none passed), then bisects; null when done. The first
 * miss is run once more and that run decides: it sets the bracket, and one stray spike there (a GC,
 * a neighbour on the machine) would otherwise halve the answer.
 */
export function nextRate(steps: Tried[], startRate: number, c: Pick<CapacitySettings, 'maxSteps' | 'gap'>): number | null {
  if (steps.length >= c.maxSteps) return null;
  const misses = steps.filter((s) => !s.pass);
  if (misses.length === 1 && steps.at(-1) === misses[0]) return misses[0]!.rate;
  const { lo, hi } = bracket(steps);
  if (lo === null && hi === null) return startRate;
  if (hi === null) return lo! * 2;
  if (lo === null) return hi >= 2 ? Math.floor(hi / 2) : null;
  if (hi <= lo * (1 + c.gap)) return null;
  const mid = Math.round((lo + hi) / 2);
  return mid > lo && mid < hi ? mid : null;
}

export function capacityResult(steps: CapacityStep[]): CapacityResult {
  const { lo, hi } = bracket(steps);
  return { best: steps.findLast((s) => s.pass && s.rate === lo) ?? null, ceiling: hi, steps };
}

/** Both searches on the group's connected clients; `sample` is the envelope bare sends (ours delivers it first). */
export async function searchCapacity(
  group: GroupDef,
  def: CapacityDef,
  servers: Record<Kind, ServerSet>,
  lgs: Record<Kind, Loadgens>,
  s: BenchSettings,
  sample: unknown,
  log: (line: string) => void,
): Promise<{ outcome: CapacityOutcome; sample: unknown }> {
  const c = s.capacity;
  const windows = { ...s, warmupMs: c.warmupMs, measureMs: c.measureMs };
  const procs = [...servers.ours.procs, ...servers.bare.procs, ...lgs.ours.procs, ...lgs.bare.procs];
  const steps: Record<Kind, CapacityStep[]> = { ours: [], bare: [] };
  // Ours and bare take turns, so a noisy minute on the shared machine falls on both searches alike.
  for (let going = true; going;) {
    going = false;
    for (const kind of ['ours', 'bare'] as const) {
      const rate = nextRate(steps[kind], def.startRate, c);
      if (rate === null) continue;
      going = true;
      await quiesce(procs);
      const out = await measureRun(servers[kind], lgs[kind], { spec: { mode: 'open', rate } }, windows, sample);
      sample ??= out.sample;
      const m = out.metrics;
      const pass = passes(m, rate, c.goalP99Ms);
      steps[kind].push({ rate, pass, metrics: m });
      log(
        `  ${def.label} capacity ${kind} @${rate}/s: p99 ${m.p99.toFixed(1)} ms, ${(m.completion * 100).toFixed(2)}% delivered, ` +
          `${Math.round(m.deliveriesPerSec)} deliveries/s, ${m.cpuUsPerDelivery.toFixed(1)} µs CPU/delivery${m.failed ? `, ${m.failed} moves failed` : ''} => ${pass ? 'pass' : 'fail'}`,
      );
    }
  }
  return { outcome: { group, def, ours: capacityResult(steps.ours), bare: capacityResult(steps.bare) }, sample };
}
