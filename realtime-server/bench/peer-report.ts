import type { FrameSizes } from './loadgen-process.js';
import type { RunMetrics } from './measure.js';
import type { PeerInfo } from './peer-server.js';
import { medianOf } from './stats.js';

export interface PeerConfig {
  quick: boolean;
  clients: number;
  rate: number;
  lightS: number;
  satS: number;
  inflight: number;
  reps: number;
  warmupS: number;
  workers: number;
}

/** What one side (ours or the peer) measured over every rep. */
export interface SideResult {
  light: RunMetrics[];
  sat: RunMetrics[];
  frames: FrameSizes;
  /** Server processes' RSS with every client connected, bytes. */
  rss: number;
}

export interface PeerReport {
  cfg: PeerConfig;
  started: Date;
  seconds: number;
  library: string;
  quiet: string;
  machine: string;
  commit: string;
  peer: PeerInfo;
  sides: { ours: SideResult; peer: SideResult };
}

const fixed = (digits: number) => (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '-');
const ms = fixed(1);
const us = fixed(1);
const int = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '-');
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

/** Per-update figures from per-delivery ones: each update reaches deliveries/updates receivers. */
const perUpdate = (m: RunMetrics, perDelivery: number) => (m.movesPerSec ? (perDelivery * m.deliveriesPerSec) / m.movesPerSec : NaN);

const METRICS: Array<[string, (m: RunMetrics) => string]> = [
  ['receipt p50 ms', (m) => ms(m.p50)],
  ['receipt p95 ms', (m) => ms(m.p95)],
  ['receipt p99 ms', (m) => ms(m.p99)],
  ['receipt max ms', (m) => ms(m.max)],
  ["writer's ack p50 ms", (m) => ms(m.answerP50)],
  ["writer's ack p99 ms", (m) => ms(m.answerP99)],
  ['updates/s', (m) => int(m.movesPerSec)],
  ['deliveries/s', (m) => int(m.deliveriesPerSec)],
  ['delivered', (m) => pct(m.completion)],
  ['server CPU µs/delivery', (m) => us(m.cpuUsPerDelivery)],
  ['server CPU µs/update', (m) => us(perUpdate(m, m.cpuUsPerDelivery))],
  ['server CPU, % of a core', (m) => fixed(0)(m.serverCpuPct)],
  ['PostgreSQL + bus CPU µs/update', (m) => us(perUpdate(m, m.dbCpuUsPerDelivery))],
  ['client CPU µs/delivery', (m) => us(m.clientCpuUsPerDelivery)],
  ['machine busy % (other work %)', (m) => `${fixed(0)(m.machineBusyPct)} (${fixed(0)(m.otherBusyPct)})`],
  ['failed updates / sockets lost', (m) => `${m.failed} / ${m.lost}`],
];

function mainTable({ ours, peer }: PeerReport['sides']): string[] {
  const cols = [medianOf(ours.light), medianOf(peer.light), medianOf(ours.sat), medianOf(peer.sat)];
  return [
    row(['', 'light: ours', 'light: peer', 'saturation: ours', 'saturation: peer']),
    row(['---', '---', '---', '---', '---']),
    ...METRICS.map(([label, f]) => row([label, ...cols.map(f)])),
  ];
}

function everyRep({ ours, peer }: PeerReport['sides']): string[] {
  const lines = [
    row([
      'rep',
      'light p99 ms: ours / peer',
      'light max ms: ours / peer',
      'saturation deliveries/s: ours / peer',
      'saturation µs/delivery: ours / peer',
    ]),
    row(['---', '---', '---', '---', '---']),
  ];
  ours.light.forEach((o, i) => {
    const [p, os, ps] = [peer.light[i], ours.sat[i], peer.sat[i]];
    lines.push(
      row([
        i + 1,
        `${ms(o.p99)} / ${ms(p?.p99)}`,
        `${ms(o.max)} / ${ms(p?.max)}`,
        `${int(os?.deliveriesPerSec)} / ${int(ps?.deliveriesPerSec)}`,
        `${us(os?.cpuUsPerDelivery)} / ${us(ps?.cpuUsPerDelivery)}`,
      ]),
    );
  });
  return lines;
}

function framesTable({ ours, peer }: PeerReport['sides']): string[] {
  return [
    row(['frame, bytes', 'ours', 'peer']),
    row(['---', '---', '---']),
    row(['broadcast, as each receiver gets it', int(ours.frames.event), int(peer.frames.event)]),
    row(["writer's command", int(ours.frames.command), int(peer.frames.command)]),
    row(['its ack', int(ours.frames.ack), int(peer.frames.ack)]),
    row(['server RSS, all clients connected (MB)', int(ours.rss / 2 ** 20), int(peer.rss / 2 ** 20)]),
  ];
}

export function renderPeerReport(r: PeerReport): string {
  const c = r.cfg;
  const versions = Object.entries(r.peer.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `# Ours against a peer doing the same job${c.quick ? ' (quick smoke run)' : ''}, ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `\`npm run bench:peer -w realtime-server\` with BENCH_PEER_DIR set (${Math.round(r.seconds)} s). Same machine, same driver`,
    `(one load generator process, ${r.library}): ${c.clients} clients in one room; a rotating writer updates, every other client's`,
    `receipt is timed from the update's scheduled start. Light: ${c.rate} updates/s, open loop, ${c.lightS} s; saturation: closed loop,`,
    `${c.inflight} update(s) in flight (the next starts once the last fully landed), ${c.satS} s; ${c.warmupS} s warmup before each;`,
    `medians of ${c.reps} rep(s), ours and the peer alternating which goes first.`,
    '',
    `- Ours: 2 nodes (\`cluster.ts\` startServers, production settings, PostgreSQL + Redis adapter), the writer sends`,
    `  \`opportunity:move\` with an Idempotency-Key; commit ${r.commit}.`,
    `- Peer: Socket.IO's \`examples/basic-crud-application/server-postgres-cluster\` at ${r.peer.source}: cluster primary`,
    `  (@socket.io/sticky) + ${c.workers} workers, Sequelize upsert in a transaction, \`socket.broadcast.emit\` over`,
    `  @socket.io/postgres-adapter; the writer sends \`todo:update\`. Installed: ${versions}.`,
    `  Rewritten in its temp copy (settings it hard-codes, nothing else): ${r.peer.patches.join('; ')}.`,
    `- Machine: ${r.machine}. ${r.quiet}`,
    '',
    '## Ours vs peer (medians)',
    '',
    ...mainTable(r.sides),
    '',
    '## Light-load tail and saturation, every rep',
    '',
    ...everyRep(r.sides),
    '',
    '## Frames and memory',
    '',
    ...framesTable(r.sides),
    '',
    'Server CPU is user + system time of the server processes over the measured window: our two nodes;',
    "the peer's primary and its workers (read from /proc). PostgreSQL + bus is each side's own database",
    "backends, plus for ours the whole Redis server (its fan-out bus; the peer's is NOTIFY inside PostgreSQL).",
    'Deliveries count the receipts of the other clients only (ours also echoes the move to the writer).',
    'Frame sizes are the Socket.IO 4 text frames (one-digit ack id) of the first of each seen.',
    '',
  ].join('\n');
}
