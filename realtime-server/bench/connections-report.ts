import type { ProcStats } from './proc-stats.js';
import { int, kb, ms, row } from './report-format.js';
import { percentile } from './stats.js';
import type { StormOutcome } from './storm.js';

/** The node (and the load generators) after a full GC with `phones` asked to be online. */
export interface MemoryStep {
  phones: number;
  connected: number;
  failed: number;
  connectMs: number;
  node: ProcStats;
  loadgens: ProcStats[];
}

export interface ConnectionsReport {
  started: Date;
  seconds: number;
  command: string;
  machine: string;
  commit: string;
  quiet: string;
  library: string;
  teams: number;
  teamSize: number;
  steps: MemoryStep[];
  storm: StormOutcome | null;
}

const MB = 1024 * 1024;
const mb = (v: number) => (Number.isFinite(v) ? `${(v / MB).toFixed(0)} MB` : '-');
const sec = (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : '-');
const spread = (sorted: Float64Array, fmt: (v: number) => string) =>
  sorted.length ? `${fmt(percentile(sorted, 50))} / ${fmt(percentile(sorted, 99))} / ${fmt(sorted[sorted.length - 1]!)}` : '-';
const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${int(n)} × \`${k}\``)
    .join(', ') || 'none';
const sum = (list: ProcStats[], f: (p: ProcStats) => number) => list.reduce((n, p) => n + f(p), 0);

/** Growth per phone connected between two steps. */
function slope(a: MemoryStep, b: MemoryStep) {
  const added = b.node.connections - a.node.connections;
  return {
    heap: (b.node.heapUsed - a.node.heapUsed) / added,
    rss: (b.node.rss - a.node.rss) / added,
    client: (sum(b.loadgens, (p) => p.rss) - sum(a.loadgens, (p) => p.rss)) / added,
    cpu: (b.node.cpuMicros - a.node.cpuMicros) / (b.phones - a.phones),
  };
}

function memory(steps: MemoryStep[]): string[] {
  const zero = steps[0]!;
  const last = steps.at(-1)!;
  const half = steps.at(-2) ?? zero;
  const s = slope(half, last);
  return [
    '## Heap and RSS per connection',
    '',
    row([
      'phones asked',
      'online on the node',
      'connect time',
      'node CPU per phone added',
      'node heap',
      'node RSS',
      'heap per phone since 0',
      'RSS per phone since 0',
    ]),
    row(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...steps.map((st, i) => {
      const g = i === 0 ? { heap: NaN, rss: NaN } : slope(zero, st);
      const cpu = i === 0 ? NaN : slope(steps[i - 1]!, st).cpu / 1000;
      const failed = st.failed ? ` (${int(st.failed)} failed)` : '';
      return row([
        int(st.phones),
        `${int(st.node.connections)}${failed}`,
        sec(st.connectMs),
        Number.isFinite(cpu) ? `${ms(cpu)} ms` : '-',
        mb(st.node.heapUsed),
        mb(st.node.rss),
        kb(g.heap),
        kb(g.rss),
      ]);
    }),
    '',
    row(['figure', 'value', 'goal']),
    row(['---', '---', '---']),
    row([
      `heap per connection, ${int(half.node.connections)} → ${int(last.node.connections)} phones (slope, as \`npm run bench\`)`,
      kb(s.heap),
      'at most 2x bare (bare 10.3–11.1 KB at 2,000 clients in 2026-11-24.md, so ≤ ~21 KB); ours was 13.1–14.1 KB at 2,000',
    ]),
    row([`RSS per connection, same slope`, kb(s.rss), 'none given (2026-11-24.md: -1.9 to 4.6 KB at 2,000, RSS barely moves)']),
    row([`node heap / RSS with ${int(last.node.connections)} phones`, `${mb(last.node.heapUsed)} / ${mb(last.node.rss)}`, 'none given']),
    row([
      'load generators: RSS per phone (same slope, after GC)',
      kb(s.client),
      `${last.loadgens.length} processes, ${mb(sum(last.loadgens, (p) => p.rss))} in all`,
    ]),
    '',
  ];
}

function stormTable(s: StormOutcome): string[] {
  return [
    row(['figure', 'value', 'goal']),
    row(['---', '---', '---']),
    row([
      '**restart → every phone at its team’s latest seq**',
      `**${sec(s.allCurrentMs)}**`,
      'none in ARCHITECTURE §10 or 2026-11-24.md; for reference, e2e/faults (rolling-restart, kill-node) hold 10 s at 300 phones, with other nodes to go to',
    ]),
    row(['node drained (stop asked → process gone)', sec(s.drainMs), '']),
    row(['node started (process gone → listening on the same port)', sec(s.startMs), '']),
    row(['node listening → every phone current', sec(s.allCurrentMs - s.readyMs), '']),
    row(['per phone, restart → at latest seq, p50 / p99 / max', spread(s.fromRestart, sec), '']),
    row(['per phone, node listening → at latest seq, p50 / p99 / max', spread(s.fromReady, sec), '']),
    row(['per phone, node listening → connected again, p50 / p99 / max', spread(s.reconnect, sec), '']),
    row([
      'per phone, connected again → at latest seq (its `sync:resume` in the storm), p50 / p99 / max',
      spread(s.catchUp, (v) => `${ms(v)} ms`),
      '',
    ]),
    row([
      'events committed while it was down (through the other node)',
      `${int(s.missed)} (${int(s.writes.ok)} moves, ${int(s.writes.failed)} failed; last answered ${sec(-s.writes.lastAfterReadyMs)} before the node listened)`,
      '',
    ]),
    row(['connection attempts per phone, p50 / p99 / max', spread(s.attempts, int), '']),
    row(['connect errors while it was down (expected)', tally(s.errors.down), '']),
    row(['failed reconnects (connect errors once it listened)', tally(s.errors.up), '0']),
    row(['phones not online / not current at the end', `${int(s.notOnline)} / ${int(s.notCurrent)}`, '0 / 0']),
    row(['resets (resume given up: the page would refetch)', tally(s.resets), 'none']),
    row(['node CPU peak (500 ms windows, % of one core; its GC threads can take it past 100)', `${ms(s.node.cpuPeakPct)}%`, '']),
    row(['node CPU from listening to the end', `${ms(s.node.cpuSeconds)} core-s`, '']),
    row(['node RSS before / peak / after', `${mb(s.node.rssBefore)} / ${mb(s.node.rssPeak)} / ${mb(s.node.rssAfter)}`, '']),
    row(['machine busy over the storm (2 cores)', `${ms(s.machineBusyPct)}%`, '']),
    row([
      'load generators: CPU over the storm, all processes',
      `${ms(s.loadgens.reduce((n, l) => n + l.cpuSeconds, 0))} core-s (${ms((s.loadgens.reduce((n, l) => n + l.cpuSeconds, 0) / s.phones) * 1000)} ms per phone)`,
      '',
    ]),
    ...s.loadgens.map((l, i) =>
      row([
        `load generator ${i + 1}: CPU, event-loop delay p99 / max`,
        `${int(l.phones)} phones, ${ms(l.cpuPct)}% of a core, ${ms(l.loopDelay.p99)} / ${ms(l.loopDelay.max)} ms`,
        '',
      ]),
    ),
  ];
}

function timeline(s: StormOutcome): string[] {
  const every = Math.max(1, Math.ceil(s.timeline.length / 60));
  return [
    'Timeline (t from the restart; node figures blank while it is down):',
    '',
    row(['t', 'node sockets', 'node CPU %', 'node RSS', 'phones online', 'phones current']),
    row(['---', '---', '---', '---', '---', '---']),
    ...s.timeline
      .filter((_, i) => i % every === 0 || i === s.timeline.length - 1)
      .map((x) => row([sec(x.t), Number.isFinite(x.rss) ? int(x.sockets) : '', ms(x.cpuPct), mb(x.rss), int(x.online), int(x.current)])),
    '',
  ];
}

function storm(s: StormOutcome): string[] {
  return [
    '## Reconnect storm',
    '',
    `${int(s.phones)} phones online and current; before the restart one move per team through the other node reached ` +
      `${int(s.live.current)} of them live (through Redis, so they were in their team rooms) within ${sec(s.live.ms)}. ` +
      'Then the node was drained (its `stop`, as SIGTERM does) and a new process started on the same port, while the other node ' +
      'committed moves; the phones came back by their own reconnect and caught up with `sync:resume`.',
    '',
    'Reading it: while the node is down each phone retries at about 1, 2, 4, 8 s and then every 10 s (weapp.socket.io backoff, ±50% ' +
      'jitter, `reconnectionDelayMax` 10 s in the realtime client), so once it listens again the phones arrive spread over up to ' +
      '10 s whatever the node can do; the node is the limit only where the timeline shows it busy near 100%. The bench node ' +
      'starts under tsx (its loader on every import); production starts compiled JavaScript.',
    '',
    ...stormTable(s),
    '',
    ...timeline(s),
  ];
}

export function renderConnections(r: ConnectionsReport): string {
  const lgs = r.steps[0]?.loadgens.length ?? 0;
  return [
    `# Connections on one node, ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${r.command}\`; ${r.seconds.toFixed(0)} s wall clock; commit ${r.commit}.`,
    `- Machine: ${r.machine}. ${r.quiet}`,
    `- Topology: one Live CRM node (its own process, production settings, Redis adapter, PostgreSQL), measured; ${lgs} load generator processes of phones; for the storm only, a second node of the same cluster (same database and Redis prefix) that commits moves.`,
    `- Phones: the mini program's own realtime client (\`miniprogram/services/realtime-client.ts\`: reconnect with the library's backoff, \`sync:resume\` with its last seq) over ${r.library}. One seeded rep per phone, ${int(r.teams)} teams of ${r.teamSize}: a node takes at most 10 sockets per user (\`MAX_SOCKETS_PER_USER\`), and a phone of its own user costs the node what a real one does (its actor, user room and rate-limit key).`,
    '- Memory: the node after two full GCs, once connecting had settled.',
    '',
    ...memory(r.steps),
    ...(r.storm ? storm(r.storm) : ['Reconnect storm: not run.', '']),
  ].join('\n');
}
