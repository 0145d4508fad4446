/**
 * A load generator of phones for connections.ts (see phones.ts): connects its share on command,
 * and reports how each phone came back through a node restart.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { clientFactory } from './bench-client.js';
import { serve } from './ipc.js';
import { bringOnline, phoneMaker, wallClock, type Phone, type PhoneSpec } from './phones.js';
import { procStats } from './proc-stats.js';

/** How one load generator's phones came through the storm; times are wall clock ms. */
export interface StormResult {
  /** Per phone: when it took in its team's head (NaN: not yet), when it last connected, attempts since the mark. */
  currentAt: Float64Array;
  connectedAt: Float64Array;
  attempts: Float64Array;
  /** Per phone that reconnected since the mark and is current: from its connect to its team's head (its resume). */
  catchUp: Float64Array;
  online: number;
  /** Connect errors since the mark by message, before and after the node listened again. */
  errors: { down: Record<string, number>; up: Record<string, number> };
  resets: Record<string, number>;
  /** This process's event-loop delay since the mark, ms. */
  loopDelay: { p50: number; p99: number; max: number };
}

const factory = await clientFactory();
const errors: Array<{ message: string; at: number }> = [];
const makePhone = await phoneMaker(factory, (message, at) => errors.push({ message, at }));
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let specs: PhoneSpec[] = [];
const phones: Phone[] = [];
let attemptsAtMark: number[] = [];
let markAt = 0;
// The wx test double keeps every frame and every closed task.
setInterval(() => factory.forget(), 1000);

const onlineCount = () => phones.filter((p) => p.client.status() === 'online').length;

/** Brings phones online until `upTo` of this process's share are, `concurrency` handshakes at a time. */
async function connectUpTo(upTo: number, concurrency = 50) {
  const t0 = performance.now();
  let failed = 0;
  const worker = async () => {
    while (phones.length < Math.min(upTo, specs.length)) {
      const phone = makePhone(specs[phones.length]!);
      phones.push(phone);
      if (!(await bringOnline(phone))) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { connected: onlineCount(), failed, ms: performance.now() - t0 };
}

const count = (list: string[]) => list.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
const current = (p: Phone, heads: Record<string, number>) => p.seq >= (heads[String(p.spec.teamId)] ?? 0);

function stormResult(heads: Record<string, number>, readyAt: number): StormResult {
  return {
    currentAt: Float64Array.from(phones, (p) => (current(p, heads) ? p.advancedAt : NaN)),
    connectedAt: Float64Array.from(phones, (p) => p.connectedAt),
    attempts: Float64Array.from(phones, (p, i) => p.attempts - (attemptsAtMark[i] ?? 0)),
    catchUp: Float64Array.from(
      phones.filter((p) => current(p, heads) && p.connectedAt > markAt),
      (p) => p.advancedAt - p.connectedAt,
    ),
    online: onlineCount(),
    errors: {
      down: count(errors.filter((e) => e.at < readyAt).map((e) => e.message)),
      up: count(errors.filter((e) => e.at >= readyAt).map((e) => e.message)),
    },
    resets: count(phones.flatMap((p) => p.resets)),
    loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

serve({
  setup: ({ phones: list }: { phones: PhoneSpec[] }) => {
    specs = list;
  },
  library: () => factory.library,
  stats: ({ collect }: { collect?: boolean }) => procStats(onlineCount(), collect),
  connect: ({ upTo }: { upTo: number }) => connectUpTo(upTo),
  /** The storm starts: counts from here. */
  mark: () => {
    errors.length = 0;
    markAt = wallClock();
    attemptsAtMark = phones.map((p) => p.attempts);
    for (const p of phones) p.resets.length = 0;
    loop.reset();
    return procStats(onlineCount());
  },
  progress: ({ heads }: { heads: Record<string, number> }) => ({
    online: onlineCount(),
    current: phones.filter((p) => current(p, heads)).length,
    // A phone whose resume was given up waits for its page to refetch, not for a seq.
    settled: phones.filter((p) => current(p, heads) || p.resets.length > 0).length,
  }),
  result: ({ heads, readyAt }: { heads: Record<string, number>; readyAt: number }) => stormResult(heads, readyAt),
  stop() {
    for (const p of phones) p.client.stop();
    setTimeout(() => process.exit(0), 200);
  },
});
