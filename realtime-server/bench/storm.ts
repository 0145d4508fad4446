/**
 * The reconnect storm of connections.ts: with every phone online, in its team room and current, the
 * node is drained and started again on its port while another node of the same cluster (same
 * database, same Redis prefix) commits moves. Every phone must come back by itself and catch up
 * with `sync:resume`; the node is sampled throughout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import type { SeededTeam } from './bench-db.js';
import { JWT_SECRET, startServers, type ChildServers, type PhoneFleet } from './cluster.js';
import { quiesce } from './measure.js';
import type { StormResult } from './phone-process.js';
import { wallClock } from './phones.js';
import type { ProcStats } from './proc-stats.js';
import { restSender, type Member } from './senders.js';
import { machineCpu, merged } from './stats.js';

/** One sample of the node and the phones, every half second; `t` ms since the restart began. */
export interface StormSample {
  t: number;
  sockets: number;
  /** Node CPU since the previous sample, % of one core (NaN while it is down). */
  cpuPct: number;
  rss: number;
  online: number;
  current: number;
  /** Current, or given up on resume (the page refetches). */
  settled: number;
}

export interface StormOutcome {
  phones: number;
  /** Before the storm: phones that heard one move per team live (through Redis), and how long it took. */
  live: { current: number; ms: number };
  drainMs: number;
  startMs: number;
  writes: { ok: number; failed: number; lastAfterReadyMs: number };
  /** Envelopes committed during the storm, over all teams. */
  missed: number;
  /** Restart to every phone at its team's head (NaN: not within the timeout). */
  allCurrentMs: number;
  readyMs: number;
  /** Per phone, sorted: time to its team's head from the restart and from the node listening again; reconnect after listening; attempts. */
  fromRestart: Float64Array;
  fromReady: Float64Array;
  reconnect: Float64Array;
  attempts: Float64Array;
  catchUp: Float64Array;
  notCurrent: number;
  notOnline: number;
  errors: StormResult['errors'];
  resets: Record<string, number>;
  node: { cpuPeakPct: number; cpuSeconds: number; rssPeak: number; rssBefore: number; rssAfter: number };
  machineBusyPct: number;
  loadgens: Array<{ phones: number; cpuPct: number; cpuSeconds: number; loopDelay: StormResult['loopDelay'] }>;
  timeline: StormSample[];
}

const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);

/** Each team's reps as the writer node's REST clients (senders.ts), each with its own deal. */
function moversOf(teams: SeededTeam[], tenantId: number, url: string): Member[][] {
  const signer = createTokenSigner(JWT_SECRET);
  return teams.map((t) =>
    t.members.map((m) => ({ ...m, token: signer.sign(m.userId, tenantId), stages: t.stages, teamId: t.teamId, url })),
  );
}

/** `perTeam` moves in every team (distinct reps), 16 in flight. */
async function commit(teams: Member[][], perTeam: number, concurrency = 16) {
  const queue = teams.flatMap((t) => t.slice(0, perTeam));
  const send = restSender();
  const out = { ok: 0, failed: 0, lastAt: 0 };
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      if (await send(m)) out.ok++;
      else out.failed++;
      out.lastAt = wallClock();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

async function readHeads(databaseUrl: string, teamIds: number[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; last_seq: number }>('SELECT id, last_seq FROM teams WHERE id = ANY($1::int[])', [
      teamIds,
    ]);
    return Object.fromEntries(rows.map((r) => [String(r.id), r.last_seq]));
  } finally {
    await client.end();
  }
}

const progress = async (fleet: PhoneFleet, heads: Record<string, number>) => {
  const answers = await fleet.all<{ online: number; current: number; settled: number }>('progress', { heads });
  const total = (k: 'online' | 'current' | 'settled') => sum(answers.map((a) => a[k]));
  return { online: total('online'), current: total('current'), settled: total('settled') };
};

async function untilCurrent(fleet: PhoneFleet, heads: Record<string, number>, total: number, timeoutMs: number) {
  const t0 = wallClock();
  for (;;) {
    const { current } = await progress(fleet, heads);
    if (current >= total || wallClock() - t0 > timeoutMs) return current;
    await sleep(100);
  }
}

/** Samples node 0 (never while it is down: a stopped child cannot be asked) and the phones. */
function watch(node: ChildServers, fleet: PhoneFleet, t0: number) {
  const timeline: StormSample[] = [];
  const state = { up: true, stopped: false, heads: null as Record<string, number> | null, cpuMicros: 0 };
  let prev: { at: number; cpu: number } | null = null;
  const ask = (p: Promise<ProcStats>) => Promise.race([p, sleep(2000).then(() => null)]);
  const loop = (async () => {
    while (!state.stopped) {
      const started = wallClock();
      const stats = state.up ? await ask(node.procs[0]!.call<ProcStats>('stats')) : null;
      const at = wallClock();
      const phones = await progress(fleet, state.heads ?? {});
      // CPU micros over elapsed ms, as % of one core.
      const cpuPct = stats && prev ? (stats.cpuMicros - prev.cpu) / ((at - prev.at) * 10) : NaN;
      if (stats && prev) state.cpuMicros += stats.cpuMicros - prev.cpu;
      prev = stats ? { at, cpu: stats.cpuMicros } : null;
      timeline.push({
        t: at - t0,
        sockets: stats?.connections ?? 0,
        cpuPct,
        rss: stats?.rss ?? NaN,
        online: phones.online,
        current: state.heads ? phones.current : NaN,
        settled: state.heads ? phones.settled : NaN,
      });
      await sleep(Math.max(0, 500 - (wallClock() - started)));
    }
  })();
  return {
    timeline,
    state,
    nodeUp(up: boolean) {
      state.up = up;
      prev = null;
    },
    async until(total: number, timeoutMs: number) {
      const deadline = wallClock() + timeoutMs;
      while (wallClock() < deadline && !((timeline.at(-1)?.settled ?? 0) >= total)) await sleep(100);
      state.stopped = true;
      await loop;
    },
  };
}

export async function runStorm(
  databaseUrl: string,
  node: ChildServers,
  fleet: PhoneFleet,
  teams: SeededTeam[],
  tenantId: number,
  opts: { missed: number; timeoutMs: number },
): Promise<StormOutcome> {
  const writer = await startServers('ours', { databaseUrl, nodes: 1, redisKey: node.redisKey });
  try {
    const movers = moversOf(teams, tenantId, writer.urls[0]!);
    const teamIds = teams.map((t) => t.teamId);
    // Phones that never came online in the memory steps have no part in the storm.
    const total = (await progress(fleet, {})).online;
    const liveAt = wallClock();
    await commit(movers, 1);
    const liveCurrent = await untilCurrent(fleet, await readHeads(databaseUrl, teamIds), total, 30_000);
    const live = { current: liveCurrent, ms: wallClock() - liveAt };
    await quiesce([...node.procs, ...writer.procs, ...fleet.procs]);
    const before = await readHeads(databaseUrl, teamIds);
    const marks = await fleet.all<ProcStats>('mark');
    const cpu0 = machineCpu();
    const t0 = wallClock();
    const watcher = watch(node, fleet, t0);
    await sleep(500);
    watcher.nodeUp(false);
    const stopAt = wallClock();
    await node.stopNode(0);
    const downAt = wallClock();
    const writes = commit(movers, opts.missed);
    await node.startNode(0);
    const readyAt = wallClock();
    watcher.nodeUp(true);
    const w = await writes;
    const heads = await readHeads(databaseUrl, teamIds);
    watcher.state.heads = heads;
    await watcher.until(total, opts.timeoutMs);
    const cpu1 = machineCpu();
    const endAt = wallClock();
    const [results, ends] = await Promise.all([fleet.all<StormResult>('result', { heads, readyAt }), fleet.all<ProcStats>('stats')]);
    const currentAt = merged(results.map((r) => r.currentAt)).filter(Number.isFinite);
    const samples = watcher.timeline;
    const count = (pick: (r: StormResult) => Record<string, number>) => {
      const out: Record<string, number> = {};
      for (const r of results) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
      return out;
    };
    return {
      phones: total,
      live,
      drainMs: downAt - stopAt,
      startMs: readyAt - downAt,
      writes: { ok: w.ok, failed: w.failed, lastAfterReadyMs: w.lastAt - readyAt },
      missed: sum(teamIds.map((id) => (heads[String(id)] ?? 0) - (before[String(id)] ?? 0))),
      allCurrentMs: currentAt.length === total ? currentAt[total - 1]! - stopAt : NaN,
      readyMs: readyAt - stopAt,
      fromRestart: currentAt.map((x) => x - stopAt),
      fromReady: currentAt.map((x) => x - readyAt),
      reconnect: merged(results.map((r) => r.connectedAt))
        .filter((x) => x > stopAt)
        .map((x) => x - readyAt),
      attempts: merged(results.map((r) => r.attempts)),
      catchUp: merged(results.map((r) => r.catchUp)),
      notCurrent: total - currentAt.length,
      notOnline: total - sum(results.map((r) => r.online)),
      errors: { down: count((r) => r.errors.down), up: count((r) => r.errors.up) },
      resets: count((r) => r.resets),
      node: {
        cpuPeakPct: Math.max(0, ...samples.map((s) => s.cpuPct).filter(Number.isFinite)),
        cpuSeconds: watcher.state.cpuMicros / 1e6,
        rssPeak: Math.max(0, ...samples.map((s) => s.rss).filter(Number.isFinite)),
        rssBefore: samples[0]?.rss ?? NaN,
        rssAfter: samples.at(-1)?.rss ?? NaN,
      },
      machineBusyPct: ((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * 100,
      loadgens: results.map((r, i) => ({
        phones: fleet.sizes[i]!,
        cpuPct: (ends[i]!.cpuMicros - marks[i]!.cpuMicros) / ((endAt - t0) * 10),
        cpuSeconds: (ends[i]!.cpuMicros - marks[i]!.cpuMicros) / 1e6,
        loopDelay: r.loopDelay,
      })),
      timeline: samples.map((s) => ({ ...s, t: s.t - (stopAt - t0) })),
    };
  } finally {
    await writer.stop();
  }
}
