/** Issue 18's report sections: capacity at a latency goal, and nodes and adapters at saturation. */
import { groupLabel, type BenchSettings, type GroupDef, type PhaseDef } from './bench-config.js';
import type { CapacityOutcome, CapacityResult } from './capacity.js';
import type { RunMetrics } from './measure.js';
import { header, int, ms, ratio, row } from './report-format.js';

/** One phase of one group: ours and bare from the same run. */
export interface PhaseOutcome {
  group: GroupDef;
  phase: PhaseDef;
  ours: RunMetrics;
  bare: RunMetrics;
}

/** `2 server processes per implementation, classic Redis adapter`, or the spread the scale phases add. */
export function topology(groups: GroupDef[]): string {
  const nodes = [...new Set(groups.map((g) => g.nodes))].sort((a, b) => a - b);
  const adapters = [...new Set(groups.map((g) => g.adapter))];
  return nodes.length === 1 && adapters.length === 1
    ? `${nodes[0]} server processes per implementation, ${adapters[0]} Redis adapter`
    : `${nodes.join(' or ')} server processes per implementation and the ${adapters.join(' or ')} Redis adapter, as each phase's label says`;
}

/** `120` moves/s, `≥ 640` when the steps ran out before a failure, `none` when nothing passed. */
function capacityText(c: CapacityResult): string {
  if (!c.best) return 'none';
  return `${c.ceiling === null ? '≥ ' : ''}${int(c.best.rate)}`;
}

const capRate = (c: CapacityResult) => c.best?.rate ?? 0;

/** Ours / bare capacity; a side whose search ran out of steps is only a lower bound, and the ratio says which way. */
function capRatio(ours: CapacityResult, bare: CapacityResult): string {
  const r = ratio(capRate(ours), capRate(bare));
  const [o, b] = [ours.best !== null && ours.ceiling === null, bare.best !== null && bare.ceiling === null];
  if (o && b) return `? (${r}, both lower bounds)`;
  return o ? `≥ ${r}` : b ? `≤ ${r}` : r;
}
const capAt = (c: CapacityResult, f: (m: NonNullable<CapacityResult['best']>['metrics']) => number) => (c.best ? f(c.best.metrics) : NaN);

/** Rows for the "ours against bare" table: the capacity and the CPU per delivery at it. */
export function capacityRows(capacity: CapacityOutcome[], s: BenchSettings): string[] {
  return capacity.flatMap(({ group, ours, bare }) => [
    row([
      `${groupLabel(group)}: highest open-loop move rate with teammates' p99 < ${s.capacity.goalP99Ms} ms and 100% delivered`,
      `${capacityText(ours)} moves/s (${int(capAt(ours, (m) => m.deliveriesPerSec))} deliveries/s)`,
      `${capacityText(bare)} moves/s (${int(capAt(bare, (m) => m.deliveriesPerSec))} deliveries/s)`,
      capRatio(ours, bare),
      '',
    ]),
    row([
      `${groupLabel(group)} at that capacity: server CPU per delivery (ours: nodes + PostgreSQL)`,
      `${ms(capAt(ours, (m) => m.cpuUsPerDelivery))} + ${ms(capAt(ours, (m) => m.dbCpuUsPerDelivery))} µs`,
      `${ms(capAt(bare, (m) => m.cpuUsPerDelivery))} µs`,
      ratio(
        capAt(ours, (m) => m.cpuUsPerDelivery + m.dbCpuUsPerDelivery),
        capAt(bare, (m) => m.cpuUsPerDelivery),
      ),
      '',
    ]),
  ]);
}

const stepsText = (c: CapacityResult) =>
  c.steps
    .map(
      (st) =>
        `${st.rate}: ${ms(st.metrics.p99)} ms${st.metrics.completion < 1 ? ` ${(st.metrics.completion * 100).toFixed(1)}%` : ''} ${st.pass ? 'ok' : 'over'}`,
    )
    .join('; ');

export function capacitySection(capacity: CapacityOutcome[], s: BenchSettings): string[] {
  if (!capacity.length) return [];
  const c = s.capacity;
  const lines = [
    `## Capacity at p99 < ${c.goalP99Ms} ms`,
    '',
    `Goal: teammates' delivery p99 under ${c.goalP99Ms} ms with every delivery made (and no move refused), open loop. ` +
      `Each implementation's rate doubles from the first step until a step misses the goal (that first miss is run once more and the rerun decides), then bisects until the first miss is within ${c.gap * 100}% of the best pass (at most ${c.maxSteps} steps); ` +
      `ours and bare take turns. Each step is one run: ${c.warmupMs / 1000} s warmup, ${c.measureMs / 1000} s measured. "≥" means the steps ran out before a miss.`,
    '',
    ...header([
      'config',
      'impl',
      `capacity, moves/s (goal p99 < ${c.goalP99Ms} ms)`,
      'first rate over the goal',
      'deliveries/s at capacity',
      'p99 ms at capacity',
      'server CPU µs/delivery at capacity',
      'PostgreSQL CPU µs/delivery',
      'steps (moves/s: p99)',
    ]),
  ];
  for (const o of capacity) {
    for (const [impl, r] of [
      ['ours', o.ours],
      ['bare', o.bare],
    ] as const) {
      lines.push(
        row([
          groupLabel(o.group),
          impl,
          capacityText(r),
          r.ceiling === null ? '-' : int(r.ceiling),
          int(capAt(r, (m) => m.deliveriesPerSec)),
          ms(capAt(r, (m) => m.p99)),
          ms(capAt(r, (m) => m.cpuUsPerDelivery)),
          impl === 'ours' ? ms(capAt(r, (m) => m.dbCpuUsPerDelivery)) : '-',
          stepsText(r),
        ]),
      );
    }
    lines.push(row([`**${groupLabel(o.group)} ours / bare**`, '', capRatio(o.ours, o.bare), '', '', '', '', '', '']));
  }
  return [...lines, ''];
}

/** Nodes and adapters at T=100 saturation: each figure against 2 nodes and against the classic adapter. */
export function scaleSection(phases: PhaseOutcome[]): string[] {
  const scale = phases.filter((p) => p.phase.name.startsWith('nodes-'));
  if (!scale.length) return [];
  const find = (nodes: number, adapter: string) => scale.find((p) => p.group.nodes === nodes && p.group.adapter === adapter);
  const vs = (p: PhaseOutcome, base: PhaseOutcome | undefined, kind: 'ours' | 'bare') =>
    base && base !== p ? ratio(p[kind].deliveriesPerSec, base[kind].deliveriesPerSec) : '-';
  const target = scale[0]!.phase.target;
  const goal = target.kind === 'throughput' ? ` (goal ≥ ${target.minRatio.toFixed(2)}x)` : '';
  const lines = [
    '## Nodes and adapters (saturation)',
    '',
    'Deliveries/s at saturation and server CPU per delivery, all server processes on this one machine; the classic adapter PUBLISHes every broadcast to every node, the sharded one SPUBLISHes to a channel per room (Redis 7, one Redis here, so no shards to spread over).',
    '',
    ...header([
      'nodes, adapter',
      'ours deliveries/s',
      'bare deliveries/s',
      `ours / bare${goal}`,
      'ours server CPU µs/delivery (nodes + PostgreSQL)',
      'bare server CPU µs/delivery',
      'ours / 2 nodes (same adapter)',
      'bare / 2 nodes (same adapter)',
      'ours sharded / classic (same nodes)',
      'bare sharded / classic (same nodes)',
    ]),
  ];
  for (const p of scale) {
    const { nodes, adapter } = p.group;
    const two = find(2, adapter);
    const classic = adapter === 'sharded' ? find(nodes, 'classic') : undefined;
    lines.push(
      row([
        `${nodes}, ${adapter}`,
        int(p.ours.deliveriesPerSec),
        int(p.bare.deliveriesPerSec),
        ratio(p.ours.deliveriesPerSec, p.bare.deliveriesPerSec),
        `${ms(p.ours.cpuUsPerDelivery)} + ${ms(p.ours.dbCpuUsPerDelivery)}`,
        ms(p.bare.cpuUsPerDelivery),
        vs(p, two, 'ours'),
        vs(p, two, 'bare'),
        vs(p, classic, 'ours'),
        vs(p, classic, 'bare'),
      ]),
    );
  }
  return [...lines, ''];
}
