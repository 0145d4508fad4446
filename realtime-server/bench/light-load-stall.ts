/**
 * Where the tail at light load comes from: one node, one team of 100 phones in one room, 20 moves/s
 * over `opportunity:move` (open loop), for STALL_SECONDS (45: four pool reap windows and nine
 * reminder ticks). The node runs with stall-trace.preload.ts; every delivery slower than
 * STALL_SLOW_MS (25) is lined up with what happened in the node just before and during it (GC,
 * a new database connection, the reminder claim, a slow query, a blocked loop).
 *   npx tsx realtime-server/bench/light-load-stall.ts
 * Compare settings with the node's own environment, e.g. `REMINDER_INTERVAL_MS=0`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ack, OpportunityMoveResult } from '@live-crm/shared-types';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { clientFactory, type BenchSocket } from './bench-client.js';
import { createBenchDatabase } from './bench-db.js';
import { JWT_SECRET, startServers } from './cluster.js';
import { percentile } from './stats.js';

const SECONDS = Number(process.env['STALL_SECONDS'] ?? 45);
const RATE = Number(process.env['STALL_RATE'] ?? 20);
const SLOW_MS = Number(process.env['STALL_SLOW_MS'] ?? 25);
const PHONES = 100;
const MOVERS = 10;

const trace = join(tmpdir(), `livecrm-stall-${process.pid}.jsonl`);
process.env['STALL_TRACE'] = trace;
process.env['BENCH_NODE_FLAGS'] =
  `${process.env['BENCH_NODE_FLAGS'] ?? ''} --import ${resolve(import.meta.dirname, 'stall-trace.preload.ts')}`;

const db = await createBenchDatabase([{ key: 'stall', clients: PHONES, teamSize: PHONES }], 0);
const servers = await startServers('ours', { databaseUrl: db.url, nodes: 1 });
const signer = createTokenSigner(JWT_SECRET);
const client = await clientFactory('socket.io-client');
const team = db.groups.get('stall')![0]!;
const url = servers.urls[0]!;

/** When each move was sent, and every teammate's receipt of it (by opportunity and new version). */
const sentAt = new Map<string, number>();
const receipts: Array<{ key: string; at: number; by: number }> = [];
const acks: number[] = [];
const sockets: BenchSocket[] = [];
for (const m of team.members) {
  const s = await client.connect(url, { token: signer.sign(m.userId, db.tenantId) });
  s.on('opportunity:moved', (e: { actorId: number; data: { opportunity: { id: number; version: number } } }) => {
    if (e.actorId !== m.userId)
      receipts.push({ key: `${e.data.opportunity.id}:${e.data.opportunity.version}`, at: Date.now(), by: m.userId });
  });
  sockets.push(s);
}
const movers = team.members.slice(0, MOVERS).map((m, i) => ({ ...m, socket: sockets[i]! }));

function move(m: (typeof movers)[number]): void {
  const stageId = m.stageId === team.stages[0] ? team.stages[1] : team.stages[0];
  const t0 = Date.now();
  sentAt.set(`${m.oppId}:${m.version + 1}`, t0);
  m.socket.emit(
    'opportunity:move',
    { id: m.oppId, stageId, version: m.version, idempotencyKey: randomUUID() },
    (res: Ack<OpportunityMoveResult>) => {
      acks.push(Date.now() - t0);
      const fresh = (res.ok ? res.data.opportunity : res.current) as { version: number; stageId: number } | undefined;
      if (fresh) [m.version, m.stageId] = [fresh.version, fresh.stageId];
    },
  );
}

try {
  await sleep(3000); // after the connect burst, as a phone team would be
  rmSync(trace, { force: true });
  const start = Date.now();
  const total = SECONDS * RATE;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    move(movers[i % MOVERS]!);
  }
  await sleep(1500);

  const latencies = receipts.map((r) => r.at - (sentAt.get(r.key) ?? r.at)).sort((a, b) => a - b);
  const ackSorted = [...acks].sort((a, b) => a - b);
  const events = existsSync(trace)
    ? readFileSync(trace, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; at: number; ms: number; detail?: unknown })
    : [];
  // A move is slow when its slowest teammate waited over SLOW_MS; its suspects overlap [sent - 20 ms, last receipt].
  const worst = new Map<string, number>();
  for (const r of receipts) worst.set(r.key, Math.max(worst.get(r.key) ?? 0, r.at));
  const slow = [...worst.entries()]
    .map(([key, last]) => ({ key, sent: sentAt.get(key)!, ms: last - sentAt.get(key)! }))
    .filter((m) => m.ms > SLOW_MS)
    .sort((a, b) => b.ms - a.ms);
  const blame = new Map<string, number>();
  const examples: string[] = [];
  for (const m of slow) {
    const during = events.filter((e) => e.at + e.ms >= m.sent - 20 && e.at <= m.sent + m.ms && !(e.kind === 'gc' && e.ms < 2));
    const kinds = [...new Set(during.map((e) => (e.kind === 'gc' ? `gc-${String(e.detail)}` : e.kind)))].sort();
    const label = kinds.join('+') || 'nothing traced';
    blame.set(label, (blame.get(label) ?? 0) + 1);
    if (examples.length < 12)
      examples.push(
        `  ${m.ms} ms at +${((m.sent - start) / 1000).toFixed(2)} s: ${during.map((e) => `${e.kind}${e.detail ? `(${String(e.detail)})` : ''} ${e.ms} ms @+${((e.at - start) / 1000).toFixed(2)}`).join(', ') || '-'}`,
      );
  }
  const count = (kind: string) => events.filter((e) => e.kind === kind);
  const gcs = count('gc');
  const p = (xs: number[], q: number) => percentile(xs, q).toFixed(1);
  process.stdout.write(
    [
      `light load: ${RATE} moves/s for ${SECONDS} s, ${PHONES} phones in one room (${receipts.length} deliveries of ${total} moves)`,
      `delivery ms: p50 ${p(latencies, 50)} p99 ${p(latencies, 99)} max ${latencies.at(-1)}; ack ms: p50 ${p(ackSorted, 50)} p99 ${p(ackSorted, 99)} max ${ackSorted.at(-1)}`,
      `node: ${count('pg-connect').length} new db connections (${count('pg-connect')
        .map((e) => e.ms)
        .join(', ')} ms), ${count('pg-end').length} closed, ` +
        `${count('reminders').length} reminder claims, ${gcs.filter((g) => g.detail === 'major').length} major GCs (max ${Math.max(0, ...gcs.filter((g) => g.detail === 'major').map((g) => g.ms))} ms), ` +
        `${gcs.filter((g) => g.detail === 'minor').length} scavenges (max ${Math.max(0, ...gcs.filter((g) => g.detail === 'minor').map((g) => g.ms))} ms), ${count('loop').length} loop blocks > 8 ms`,
      `moves slower than ${SLOW_MS} ms: ${slow.length}; what the node was doing then:`,
      ...[...blame.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n} x ${k}`),
      'slowest examples:',
      ...examples,
    ].join('\n') + '\n',
  );
} finally {
  for (const s of sockets) s.disconnect();
  await servers.stop();
  await db.drop();
  rmSync(trace, { force: true });
}
process.exit(0);
