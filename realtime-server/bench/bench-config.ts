import type { PhaseSpec } from './drive.js';

/** What "good enough" means for a phase, always against bare in the same run. */
export type Target = { kind: 'latency'; p99SlackMs: number; completion: number } | { kind: 'throughput'; minRatio: number };

export interface PhaseDef {
  name: string;
  label: string;
  spec: Pick<PhaseSpec, 'mode' | 'rate' | 'inflightPerTeam'>;
  target: Target;
}

export interface GroupDef {
  key: string;
  clients: number;
  teamSize: number;
  phases: PhaseDef[];
}

export interface BenchSettings {
  quick: boolean;
  /** A subset of phases (BENCH_ONLY) or a smoke run: written beside, never over, a full result. */
  suffix: string;
  groups: GroupDef[];
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  reps: number;
  loadgens: number;
  resumeEvents: number;
  resumeRuns: number;
  profile: boolean;
  heapRatioMax: number;
  resumeBudgetMs: number;
}

export const num = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const v = env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

const open = (name: string, label: string, rate: number, p99SlackMs: number): PhaseDef => ({
  name,
  label,
  spec: { mode: 'open', rate },
  target: { kind: 'latency', p99SlackMs, completion: 1 },
});
const saturate = (name: string, label: string, inflightPerTeam: number, minRatio: number): PhaseDef => ({
  name,
  label,
  spec: { mode: 'closed', inflightPerTeam },
  target: { kind: 'throughput', minRatio },
});

/** The configurations; BENCH_QUICK shrinks them into a smoke run of well under a minute. */
function groupsFor(quick: boolean, inflight: number, rate: number): GroupDef[] {
  if (quick) {
    return [
      {
        key: 'q400x100',
        clients: 400,
        teamSize: 100,
        phases: [open('design', 'C=400 T=100 open', rate, 10), saturate('sat-100', 'C=400 T=100 saturation', inflight, 0.65)],
      },
      { key: 'q100x10', clients: 100, teamSize: 10, phases: [saturate('sat-10', 'C=100 T=10 saturation', inflight, 0.25)] },
    ];
  }
  return [
    {
      key: 'c2000x100',
      clients: 2000,
      teamSize: 100,
      phases: [open('design', `C=2000 T=100 @${rate}/s`, rate, 10), saturate('sat-100', 'C=2000 T=100 saturation', inflight, 0.65)],
    },
    {
      key: 'c2000x500',
      clients: 2000,
      teamSize: 500,
      phases: [open('big-teams', `C=2000 T=500 @${rate}/s`, rate, 20), saturate('sat-500', 'C=2000 T=500 saturation', inflight, 0.8)],
    },
    { key: 'c200x10', clients: 200, teamSize: 10, phases: [saturate('sat-10', 'C=200 T=10 saturation', inflight, 0.25)] },
  ];
}

/**
 * Knobs: BENCH_QUICK=1, BENCH_ONLY=design,sat-100 (phase names), BENCH_REPS, BENCH_MEASURE_S,
 * BENCH_WARMUP_S, BENCH_INFLIGHT (moves in flight per team at saturation), BENCH_RATE,
 * BENCH_LOADGENS, BENCH_PROFILE=1 (--cpu-prof on our nodes), BENCH_CLIENT=socket.io-client,
 * BENCH_MOVE=rest (ours moves over REST instead of the socket; written to <date>-rest.md).
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env['BENCH_QUICK'] === '1';
  const only = (env['BENCH_ONLY'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const groups = groupsFor(quick, num(env, 'BENCH_INFLIGHT', 4), num(env, 'BENCH_RATE', 67))
    .map((g) => ({ ...g, phases: g.phases.filter((p) => only.length === 0 || only.includes(p.name)) }))
    .filter((g) => g.phases.length > 0);
  return {
    quick,
    groups,
    suffix: `${quick ? '-quick' : only.length ? '-partial' : ''}${env['BENCH_MOVE'] === 'rest' ? '-rest' : ''}`,
    warmupMs: num(env, 'BENCH_WARMUP_S', quick ? 1 : 3) * 1000,
    measureMs: num(env, 'BENCH_MEASURE_S', quick ? 3 : 15) * 1000,
    drainMs: 5000,
    // Three pairs: a p99 over 15 s moves by tens of ms between pairs on a 2-core box; the median steadies it.
    reps: num(env, 'BENCH_REPS', quick ? 1 : 3),
    loadgens: num(env, 'BENCH_LOADGENS', 2),
    resumeEvents: 1000,
    resumeRuns: quick ? 5 : 20,
    profile: env['BENCH_PROFILE'] === '1',
    heapRatioMax: 2,
    resumeBudgetMs: 100,
  };
}
