/**
 * `npm run bench:peer -w realtime-server`: ours against a peer doing the same job, Socket.IO's own
 * basic CRUD example with PostgreSQL and a 2-worker cluster (its directory in BENCH_PEER_DIR; see
 * README), on the same machine under the same driver: N clients in one room, a rotating writer,
 * first at a light fixed rate (open loop), then at saturation (closed loop). Every other client's
 * receipt latency, the writer's ack, deliveries/s, server CPU per delivery and frame sizes go to
 * bench/results/<date>-peer.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSettings, num, type BenchSettings, type PhaseDef } from './bench-config.js';
import { createBenchDatabase, type SeededTeam } from './bench-db.js';
import { REDIS_URL, startLoadgens, startServers, type Loadgens, type ServerSet } from './cluster.js';
import type { FrameSizes } from './loadgen-process.js';
import { commitLine, machineLine, REPO } from './machine.js';
import { measureRun, quiesceCpu } from './measure.js';
import { renderPeerReport, type PeerConfig, type SideResult } from './peer-report.js';
import { startPeer, type PeerServers } from './peer-server.js';
import type { ProcStats } from './proc-stats.js';
import { busyBefore, redisCpu } from './stats.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const env = process.env;
const quick = env['BENCH_QUICK'] === '1';
const cfg: PeerConfig = {
  quick,
  clients: num(env, 'BENCH_PEER_CLIENTS', quick ? 20 : 100),
  rate: num(env, 'BENCH_PEER_RATE', 20),
  lightS: num(env, 'BENCH_PEER_LIGHT_S', quick ? 5 : 30),
  satS: num(env, 'BENCH_PEER_SAT_S', quick ? 3 : 15),
  inflight: num(env, 'BENCH_PEER_INFLIGHT', 1),
  reps: num(env, 'BENCH_PEER_REPS', quick ? 1 : 3),
  warmupS: num(env, 'BENCH_WARMUP_S', quick ? 1 : 3),
  workers: num(env, 'BENCH_PEER_WORKERS', 2),
};

interface Side {
  name: 'ours' | 'peer';
  servers: ServerSet;
  lgs: Loadgens;
  result: SideResult;
}

const PHASES: Array<{ key: 'light' | 'sat'; def: PhaseDef; settings: BenchSettings }> = (() => {
  const base = loadSettings();
  const timing = (seconds: number) => ({ ...base, warmupMs: cfg.warmupS * 1000, measureMs: seconds * 1000, drainMs: 5000 });
  return [
    {
      key: 'light',
      def: {
        name: 'light',
        label: 'light',
        spec: { mode: 'open', rate: cfg.rate },
        target: { kind: 'latency', p99SlackMs: 0, completion: 1 },
      },
      settings: timing(cfg.lightS),
    },
    {
      key: 'sat',
      def: {
        name: 'sat',
        label: 'saturation',
        spec: { mode: 'closed', inflightPerTeam: cfg.inflight },
        target: { kind: 'throughput', minRatio: 0 },
      },
      settings: timing(cfg.satS),
    },
  ];
})();

/** The peer's clients as one "team": each owns a to-do whose `completed` flips like a deal's stage. */
const peerTeam = (n: number): SeededTeam => ({
  teamId: 1,
  stages: [0, 1],
  members: Array.from({ length: n }, (_, i) => ({ userId: i + 1, oppId: i + 1, version: 1, stageId: 0 })),
});

/** Our two nodes; their "database" CPU also counts the Redis server, our fan-out bus. */
async function startOurs(databaseUrl: string): Promise<ServerSet> {
  const nodes = await startServers('ours', { databaseUrl, nodes: 2 });
  const redis = redisCpu(REDIS_URL);
  return {
    ...nodes,
    dbCpu: async () => (await nodes.dbCpu()) + (await redis.sample()),
    async stop() {
      await nodes.stop();
      await redis.close();
    },
  };
}

async function connectAll(name: Side['name'], lgs: Loadgens): Promise<void> {
  await lgs.connect(0);
  const all = await lgs.connect(1);
  log(`  ${name}: ${all.connected}/${cfg.clients} clients connected${all.failed ? `, ${all.failed} failed` : ''}`);
  if (all.connected !== cfg.clients) throw new Error(`${name}: only ${all.connected} of ${cfg.clients} clients connected`);
}

const sumRss = (stats: ProcStats[]) => stats.reduce((n, s) => n + s.rss, 0);

async function runSide(side: Side, rep: number, idle: () => Promise<number[]>): Promise<void> {
  for (const phase of PHASES) {
    await quiesceCpu(idle);
    const { metrics: m } = await measureRun(side.servers, side.lgs, phase.def, phase.settings, undefined);
    side.result[phase.key].push(m);
    log(
      `  ${phase.def.label} ${side.name} #${rep + 1}: p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} max ${m.max.toFixed(1)} ms, ack p99 ${m.answerP99.toFixed(1)} ms, ` +
        `${Math.round(m.deliveriesPerSec)} deliveries/s, ${(m.completion * 100).toFixed(2)}% delivered, ${m.cpuUsPerDelivery.toFixed(1)} µs CPU/delivery, ` +
        `machine ${m.machineBusyPct.toFixed(0)}% (other work ${m.otherBusyPct.toFixed(0)}%)${m.failed ? `, ${m.failed} failed` : ''}${m.lost ? `, ${m.lost} sockets lost` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const source = env['BENCH_PEER_DIR'];
  if (!source) throw new Error("BENCH_PEER_DIR must name the peer's directory; see realtime-server/bench/README.md");
  const started = new Date();
  const quiet = await busyBefore();
  log(
    `Ours vs peer${quick ? ' (quick)' : ''}: ${cfg.clients} clients in one room, ${cfg.rate}/s for ${cfg.lightS} s, then saturation ${cfg.satS} s; ${cfg.reps} rep(s)`,
  );
  log(quiet);
  const stops: Array<() => Promise<void>> = [];
  try {
    log('  installing and starting the peer...');
    const peer: PeerServers = await startPeer(source, cfg.workers);
    stops.push(() => peer.stop());
    const db = await createBenchDatabase([{ key: 'peer', clients: cfg.clients, teamSize: cfg.clients }], 0);
    stops.push(() => db.drop());
    const ours = await startOurs(db.url);
    stops.push(() => ours.stop());
    const fresh = (): SideResult => ({ light: [], sat: [], frames: {}, rss: 0 });
    const sides: Record<Side['name'], Side> = {
      ours: {
        name: 'ours',
        servers: ours,
        lgs: await startLoadgens('ours', ours, db.groups.get('peer')!, db.tenantId, 1),
        result: fresh(),
      },
      peer: { name: 'peer', servers: peer, lgs: await startLoadgens('peer', peer, [peerTeam(cfg.clients)], 0, 1), result: fresh() },
    };
    for (const side of Object.values(sides)) {
      stops.push(() => side.lgs.stop());
      await connectAll(side.name, side.lgs);
      side.result.rss = sumRss(await side.servers.stats());
    }
    const loadgens = Object.values(sides).flatMap((s) => s.lgs.procs);
    const idle = async () =>
      [...(await ours.stats()), ...(await peer.stats()), ...(await Promise.all(loadgens.map((p) => p.call<ProcStats>('stats'))))].map(
        (s) => s.cpuMicros,
      );
    for (let rep = 0; rep < cfg.reps; rep++) {
      for (const side of rep % 2 ? [sides.peer, sides.ours] : [sides.ours, sides.peer]) await runSide(side, rep, idle);
    }
    for (const side of Object.values(sides)) side.result.frames = await side.lgs.procs[0]!.call<FrameSizes>('frames');
    const md = renderPeerReport({
      cfg,
      started,
      seconds: (Date.now() - started.getTime()) / 1000,
      library: sides.ours.lgs.library,
      quiet,
      machine: machineLine(),
      commit: commitLine(),
      peer: peer.info,
      sides: { ours: sides.ours.result, peer: sides.peer.result },
    });
    const dir = resolve(REPO, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${started.toISOString().slice(0, 10)}-peer${quick ? '-quick' : ''}.md`);
    writeFileSync(file, md);
    log(`\n${md}\nWritten to ${file}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log(`  cleanup: ${String(err)}`));
  }
}

// The peer runs in a process group of its own, out of reach of a terminal's Ctrl-C: exit so its 'exit' hook kills it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:peer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
