import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, type WindowResult } from './recorder.js';
import type { Member, Sender } from './senders.js';

export interface PhaseSpec {
  mode: 'open' | 'closed';
  /** Open loop: moves per second this load generator issues. */
  rate?: number;
  /** Closed loop: moves in flight per team. */
  inflightPerTeam?: number;
  warmupMs: number;
  measureMs: number;
  /** Longest wait after the window for late receipts. */
  drainMs: number;
}

export interface Team {
  teamId: number;
  members: Member[];
  cursor: number;
  connected: number;
}

export const flightKey = (oppId: number, version: number): string => `${oppId}:${version}`;

/** Next rep of the team with no move of its own in flight (round robin). */
function nextFree(team: Team): Member | undefined {
  for (let i = 0; i < team.members.length; i++) {
    const m = team.members[team.cursor++ % team.members.length]!;
    if (!m.busy && m.socket?.connected) return m;
  }
  return undefined;
}

/** One move: registered before it is sent, so a receipt that beats the answer still matches. */
async function fly(rec: Recorder, send: Sender, team: Team, m: Member, start: number): Promise<void> {
  m.busy = true;
  const key = flightKey(m.oppId, m.version + 1);
  const flight = rec.begin(key, m.userId, start, team.connected - 1);
  const ok = await send(m);
  m.busy = false;
  rec.answered(key, flight, ok);
  await flight.done;
}

/**
 * Open loop: moves start on a fixed schedule whatever the server does, and latency counts from the
 * scheduled start (no coordinated omission). Teams take turns so the load spreads over rooms.
 */
async function openLoop(rec: Recorder, send: Sender, teams: Team[], rate: number, t0: number, end: number): Promise<void> {
  const interval = 1000 / rate;
  let k = 0;
  while (true) {
    const now = performance.now();
    for (; t0 + k * interval <= now; k++) {
      const start = t0 + k * interval;
      if (start >= end) return;
      const team = teams[k % teams.length]!;
      const m = nextFree(team);
      if (m) void fly(rec, send, team, m, start);
    }
    await sleep(1);
  }
}

/** Closed loop: each team keeps `inflight` moves going, the next one starting when one fully lands. */
async function closedLoop(rec: Recorder, send: Sender, teams: Team[], inflight: number, end: number): Promise<void> {
  const worker = async (team: Team) => {
    while (performance.now() < end) {
      const m = nextFree(team);
      if (!m) {
        await sleep(1);
        continue;
      }
      await fly(rec, send, team, m, performance.now());
    }
  };
  await Promise.all(teams.flatMap((team) => Array.from({ length: inflight }, () => worker(team))));
}

/** Runs warmup + measured window, then waits (bounded) for the window's late receipts. */
export async function runPhase(spec: PhaseSpec, teams: Team[], send: Sender, attach: (rec: Recorder) => void): Promise<WindowResult> {
  const t0 = performance.now();
  const window = { from: t0 + spec.warmupMs, to: t0 + spec.warmupMs + spec.measureMs };
  const rec = new Recorder(window);
  attach(rec);
  if (spec.mode === 'open') await openLoop(rec, send, teams, spec.rate ?? 1, t0, window.to);
  else await closedLoop(rec, send, teams, spec.inflightPerTeam ?? 4, window.to);
  const drainUntil = performance.now() + spec.drainMs;
  while (rec.outstanding() > 0 && performance.now() < drainUntil) await sleep(10);
  return rec.result();
}
