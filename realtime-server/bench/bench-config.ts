import type { AdapterKind } from '../src/redis.js';
import type { PhaseSpec } from './drive.js';

/** What "good enough" means for a phase, always against bare in the same run. */
export type Target = { kind: 'latency'; p99SlackMs: number; completion: number } | { kind: 'throughput'; minRatio: number };

export interface PhaseDef {
  name: string;
  label: string;
  spec: Pick<PhaseSpec, 'mode' | 'rate' | 'inflightPerTeam'>;
  target: Target;
}

/** Capacity at a latency goal: the highest open-loop move rate whose teammates' p99 stays under the goal. */
export interface CapacityDef {
  name: string;
  label: string;
  /** Moves/s of the first step; the search doubles from there, or halves if it already fails. */
  startRate: number;
}

export interface GroupDef {
  key: string;
  /** The seeded teams this group uses (default `key`); groups sharing a seed differ in topology only. */
  seed?: string;
  clients: number;
  teamSize: number;
  nodes: number;
  adapter: AdapterKind;
  phases: PhaseDef[];
  searches: CapacityDef[];
}

export interface CapacitySettings {
  /** Teammates' delivery p99 must stay under this, with every delivery made. */
  goalP99Ms: number;
  warmupMs: number;
  measureMs: number;
  /** Most steps per implementation. */
  maxSteps: number;
  /** Bisecting stops once the first failing rate is within this fraction above the best passing one. */
  gap: number;
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
  capacity: CapacitySettings;
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

/** `C=2000 T=100`, with the topology when the group is one of the scale phases' own. */
export const groupLabel = (g: GroupDef, clients = g.clients): string =>
  `C=${clients} T=${g.teamSize}${g.seed ? `, ${g.nodes} nodes, ${g.adapter} adapter` : ''}`;

type Group = Omit<GroupDef, 'nodes' | 'adapter' | 'searches'> & Partial<Pick<GroupDef, 'nodes' | 'adapter' | 'searches'>>;

/**
 * Issue 18's scale phases (`nodes-<n>-<adapter>`): T=100 saturation on the same seeded teams with 2 or 4
 * server processes per side and either Redis adapter. Gated: run only when BENCH_ONLY names them.
 */
function scaleGroups(base: Group, inflight: number): Array<Group & { gated: true }> {
  return (['classic', 'sharded'] as const).flatMap((adapter) =>
    [2, 4].map((nodes) => ({
      key: `${base.key}-n${nodes}-${adapter}`,
      seed: base.key,
      clients: base.clients,
      teamSize: base.teamSize,
      nodes,
      adapter,
      gated: true as const,
      phases: [
        saturate(
          `nodes-${nodes}-${adapter}`,
          `C=${base.clients} T=${base.teamSize} saturation, ${nodes} nodes, ${adapter} adapter`,
          inflight,
          0.65,
        ),
      ],
    })),
  );
}

/** The issue's configurations; BENCH_QUICK shrinks them into a smoke run of well under a minute. */
function groupsFor(quick: boolean, inflight: number, rate: number): Array<Group & { gated?: boolean }> {
  if (quick) {
    const q100: Group = {
      key: 'q400x100',
      clients: 400,
      teamSize: 100,
      phases: [open('design', 'C=400 T=100 open', rate, 10), saturate('sat-100', 'C=400 T=100 saturation', inflight, 0.65)],
      searches: [{ name: 'cap-100', label: 'C=400 T=100', startRate: 20 }],
    };
    return [
      q100,
      { key: 'q100x10', clients: 100, teamSize: 10, phases: [saturate('sat-10', 'C=100 T=10 saturation', inflight, 0.25)] },
      ...scaleGroups(q100, inflight),
    ];
  }
  const c100: Group = {
    key: 'c2000x100',
    clients: 2000,
    teamSize: 100,
    phases: [open('design', `C=2000 T=100 @${rate}/s`, rate, 10), saturate('sat-100', 'C=2000 T=100 saturation', inflight, 0.65)],
    searches: [{ name: 'cap-100', label: 'C=2000 T=100', startRate: 40 }],
  };
  return [
    c100,
    {
      key: 'c2000x500',
      clients: 2000,
      teamSize: 500,
      phases: [open('big-teams', `C=2000 T=500 @${rate}/s`, rate, 20), saturate('sat-500', 'C=2000 T=500 saturation', inflight, 0.8)],
      searches: [{ name: 'cap-500', label: 'C=2000 T=500', startRate: 8 }],
    },
    { key: 'c200x10', clients: 200, teamSize: 10, phases: [saturate('sat-10', 'C=200 T=10 saturation', inflight, 0.25)] },
    ...scaleGroups(c100, inflight),
  ];
}

/**
 * BENCH_ONLY names phases; a name also picks every phase it prefixes with a dash (`cap`, `nodes`, `sat`).
 * Without BENCH_ONLY every phase runs except the gated ones.
 */
function selector(only: string[]) {
  return (name: string, gated = false) => (only.length ? only.some((o) => name === o || name.startsWith(`${o}-`)) : !gated);
}

/** Whole families (BENCH_ONLY=cap, nodes or both) are results of their own (`-cap`, `-nodes`); any other subset is `-partial`. */
const FAMILIES = ['cap', 'nodes'];
const selectionSuffix = (only: string[]) => (only.every((o) => FAMILIES.includes(o)) ? `-${only.join('-')}` : '-partial');

/**
 * Knobs: BENCH_QUICK=1, BENCH_ONLY=design,sat-100 (phase names), BENCH_REPS, BENCH_MEASURE_S,
 * BENCH_WARMUP_S, BENCH_INFLIGHT (moves in flight per team at saturation), BENCH_RATE,
 * BENCH_LOADGENS, BENCH_PROFILE=1 (--cpu-prof on our nodes), BENCH_CLIENT=socket.io-client,
 * BENCH_MOVE=rest (ours moves over REST instead of the socket; written to <date>-rest.md),
 * REDIS_ADAPTER=sharded (both sides, except in the nodes-* phases, which name their own),
 * BENCH_CAP_P99_MS, BENCH_CAP_WARMUP_S, BENCH_CAP_MEASURE_S, BENCH_CAP_STEPS (capacity search).
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env['BENCH_QUICK'] === '1';
  const only = (env['BENCH_ONLY'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const picked = selector(only);
  const adapter: AdapterKind = env['REDIS_ADAPTER'] === 'sharded' ? 'sharded' : 'classic';
  const groups = groupsFor(quick, num(env, 'BENCH_INFLIGHT', 4), num(env, 'BENCH_RATE', 67))
    .map(({ gated, ...g }) => ({
      nodes: 2,
      adapter,
      ...g,
      phases: g.phases.filter((p) => picked(p.name, gated)),
      searches: (g.searches ?? []).filter((c) => picked(c.name, gated)),
    }))
    .filter((g) => g.phases.length + g.searches.length > 0);
  return {
    quick,
    groups,
    suffix: `${quick ? '-quick' : only.length ? selectionSuffix(only) : ''}${env['BENCH_MOVE'] === 'rest' ? '-rest' : ''}`,
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
    capacity: {
      goalP99Ms: num(env, 'BENCH_CAP_P99_MS', 250),
      warmupMs: num(env, 'BENCH_CAP_WARMUP_S', quick ? 1 : 2) * 1000,
      measureMs: num(env, 'BENCH_CAP_MEASURE_S', quick ? 3 : 8) * 1000,
      maxSteps: num(env, 'BENCH_CAP_STEPS', quick ? 3 : 9),
      // Nine steps: up to five doublings, the first miss's rerun and three bisections, which leave the
      // answer within 12.5%, about the step-to-step noise of an 8 s p99.
      gap: 0.125,
    },
  };
}
