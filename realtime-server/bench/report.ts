import { groupLabel, type BenchSettings, type GroupDef } from './bench-config.js';
import type { CapacityOutcome } from './capacity.js';
import { int, kb, ms, pct, ratio, row, verdict } from './report-format.js';
import { capacityRows, capacitySection, scaleSection, topology, type PhaseOutcome } from './report-scale.js';
import type { ResumeResult } from './resume.js';

export type { PhaseOutcome } from './report-scale.js';

export interface MemoryOutcome {
  group: GroupDef;
  ours: { heap: number; rss: number; connections: number };
  bare: { heap: number; rss: number; connections: number };
}
export interface BenchReport {
  settings: BenchSettings;
  started: Date;
  seconds: number;
  library: string;
  moveTransport: 'socket' | 'rest';
  machine: string;
  quiet: string;
  commit: string;
  phases: PhaseOutcome[];
  capacity: CapacityOutcome[];
  memory: MemoryOutcome[];
  resume: ResumeResult | null;
  notes: string[];
}

/** Each target of the issue, decided on ours against bare from the same run. */
export function phaseVerdict({ phase, ours, bare }: PhaseOutcome): { ok: boolean; text: string } {
  const t = phase.target;
  if (t.kind === 'latency') {
    const delta = ours.p99 - bare.p99;
    const ok = delta <= t.p99SlackMs && ours.completion >= t.completion;
    return {
      ok,
      text: `p99 ${delta >= 0 ? '+' : ''}${ms(delta)} ms vs bare (budget +${t.p99SlackMs} ms), delivered ${pct(ours.completion)} (need ${pct(t.completion)})`,
    };
  }
  const r = ours.deliveriesPerSec / bare.deliveriesPerSec;
  return { ok: r >= t.minRatio, text: `${(r * 100).toFixed(0)}% of bare deliveries/s (need ${(t.minRatio * 100).toFixed(0)}%)` };
}

function latencyTable(phases: PhaseOutcome[]): string[] {
  const lines = [
    row([
      'config',
      'impl',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'deliveries/s',
      'moves/s',
      'completion',
      'server CPU µs/delivery',
      'PostgreSQL CPU µs/delivery',
      'load generator CPU µs/delivery',
      'server CPU %',
      'machine busy %',
      'answer p50 / p99 ms',
      'failed moves / lost sockets',
    ]),
    row(Array(16).fill('---')),
  ];
  for (const p of phases) {
    for (const [impl, m] of [
      ['ours', p.ours],
      ['bare', p.bare],
    ] as const) {
      lines.push(
        row([
          p.phase.label,
          impl,
          ms(m.p50),
          ms(m.p95),
          ms(m.p99),
          ms(m.max),
          int(m.deliveriesPerSec),
          ms(m.movesPerSec),
          pct(m.completion),
          ms(m.cpuUsPerDelivery),
          impl === 'ours' ? ms(m.dbCpuUsPerDelivery) : '-',
          ms(m.clientCpuUsPerDelivery),
          int(m.serverCpuPct),
          int(m.machineBusyPct),
          `${ms(m.answerP50)} / ${ms(m.answerP99)}`,
          `${int(m.failed)} / ${int(m.lost)}`,
        ]),
      );
    }
  }
  return lines;
}

function ratioTable(r: BenchReport): string[] {
  const { phases, memory, settings: s, resume } = r;
  const lines = [row(['target', 'ours', 'bare', 'ours / bare', 'verdict']), row(Array(5).fill('---'))];
  for (const p of phases) {
    const v = phaseVerdict(p);
    const [o, b] = p.phase.target.kind === 'latency' ? [p.ours.p99, p.bare.p99] : [p.ours.deliveriesPerSec, p.bare.deliveriesPerSec];
    const unit = p.phase.target.kind === 'latency' ? 'p99 ms' : 'deliveries/s';
    lines.push(
      row([
        `${p.phase.label}: ${v.text}`,
        `${p.phase.target.kind === 'latency' ? ms(o) : int(o)} ${unit}`,
        `${p.phase.target.kind === 'latency' ? ms(b) : int(b)} ${unit}`,
        ratio(o, b),
        verdict(v.ok),
      ]),
    );
    lines.push(
      row([
        `${p.phase.label}: server CPU per delivery (ours: nodes + PostgreSQL)`,
        `${ms(p.ours.cpuUsPerDelivery)} + ${ms(p.ours.dbCpuUsPerDelivery)} µs`,
        `${ms(p.bare.cpuUsPerDelivery)} µs`,
        ratio(p.ours.cpuUsPerDelivery + p.ours.dbCpuUsPerDelivery, p.bare.cpuUsPerDelivery),
        '',
      ]),
    );
  }
  lines.push(...capacityRows(r.capacity, s));
  for (const m of memory) {
    const ok = m.ours.heap <= s.heapRatioMax * m.bare.heap;
    lines.push(
      row([
        `heap per connection, ${groupLabel(m.group, m.ours.connections)} (at most ${s.heapRatioMax}x bare)`,
        kb(m.ours.heap),
        kb(m.bare.heap),
        ratio(m.ours.heap, m.bare.heap),
        verdict(ok),
      ]),
    );
    lines.push(
      row([
        `RSS per connection, ${groupLabel(m.group, m.ours.connections)}`,
        kb(m.ours.rss),
        kb(m.bare.rss),
        ratio(m.ours.rss, m.bare.rss),
        '',
      ]),
    );
  }
  if (resume) {
    const ok = resume.server.p95 < s.resumeBudgetMs;
    lines.push(
      row([
        `sync:resume of ${resume.events} missed events at the server, p95 (under ${s.resumeBudgetMs} ms)`,
        `${ms(resume.server.p95)} ms`,
        '',
        '',
        verdict(ok),
      ]),
    );
  }
  return lines;
}

export function renderReport(r: BenchReport): string {
  const s = r.settings;
  const others = Math.max(
    0,
    ...r.phases.flatMap((p) => [p.ours.otherBusyPct, p.bare.otherBusyPct]),
    ...r.capacity.flatMap((c) => [...c.ours.steps, ...c.bare.steps].map((step) => step.metrics.otherBusyPct)),
  );
  const out = [
    `# Live fan-out benchmark, ${r.started.toISOString().slice(0, 10)}${s.quick ? ' (BENCH_QUICK smoke run)' : ''}`,
    '',
    `- Command: \`npm run bench\`${s.quick ? ' with `BENCH_QUICK=1`' : ''}; ${r.seconds.toFixed(0)} s wall clock; commit ${r.commit}.`,
    `- Machine: ${r.machine}. ${r.quiet} During the measured windows, work outside the bench used up to ${others.toFixed(0)}% of the machine (median per phase, single runs for capacity steps; 0-10% is noise, Redis and the orchestrator included).`,
    `- Topology: ${topology(s.groups)}; Redis (+ PostgreSQL for ours) on loopback; ${s.loadgens} load generator process(es) per implementation, each holding whole teams.`,
    `- Client: ${r.library}. Ours moves ${r.moveTransport === 'rest' ? 'with `PUT /api/crm/opportunities/:id/move` (REST, as the mini program does without its socket)' : 'with the `opportunity:move` socket command (as the mini program does while its socket is online)'}, each with a fresh Idempotency-Key, and teammates receive \`opportunity:moved\`; bare clients emit the same envelope (same shape and size) and the server forwards it to the room.`,
    `- Windows: ${s.warmupMs / 1000} s warmup (excluded), ${s.measureMs / 1000} s measured, up to ${s.drainMs / 1000} s drain; runs alternate ours, bare, ours, bare; ${s.reps} run(s) each, medians reported.`,
    "- Latency: from the request's (scheduled, for open loop) start to each teammate's receipt, mover excluded. Saturation: closed loop, a few moves in flight per team, each slot waits for its answer and every receipt.",
    '- Memory per connection: heap and RSS growth of the server processes between half and all clients connected, full GC before each sample.',
    '- Server CPU: `process.cpuUsage()` of the server processes over the window; PostgreSQL CPU: /proc of the backends serving the bench database (Redis not counted; machine busy % shows the whole box).',
    '',
    '## Results (medians)',
    '',
    ...latencyTable(r.phases),
    '',
    '## Ours against bare',
    '',
    ...ratioTable(r),
    '',
    ...capacitySection(r.capacity, s),
    ...scaleSection(r.phases),
  ];
  if (r.resume) {
    const { server, client } = r.resume;
    out.push(
      '## sync:resume',
      '',
      `${r.resume.events} missed envelopes (${kb(r.resume.bytes)} encoded): server-side (service + ack encoding) p50 ${ms(server.p50)} ms, p95 ${ms(server.p95)} ms, max ${ms(server.max)} ms; ` +
        `client round trip over loopback p50 ${ms(client.p50)} ms, p95 ${ms(client.p95)} ms, max ${ms(client.max)} ms.`,
      '',
    );
  }
  if (r.notes.length) out.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
