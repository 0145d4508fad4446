/**
 * A load generator process: connects its share of the clients (whole teams, so a move's sender and
 * every receiver share one clock), then drives moves on command and reports latencies.
 */
import { performance } from 'node:perf_hooks';
import { clientFactory, frameBytes, type BenchSocket } from './bench-client.js';
import type { DriveTarget } from './targets.js';
import { runPhase, flightKey, type PhaseSpec, type Team } from './drive.js';
import { serve } from './ipc.js';
import { createTodo, listenPeer, peerSender } from './peer-client.js';
import { procStats } from './proc-stats.js';
import type { Recorder } from './recorder.js';
import { bareSender, moveTransport, restSender, socketSender, type Member, type Observe } from './senders.js';

export interface LoadgenSetup {
  target: DriveTarget;
  teams: Array<{ teamId: number; members: Member[] }>;
}

/** Sizes of the frames this process saw, bytes (the first of each kind). */
export interface FrameSizes {
  event?: number;
  command?: number;
  ack?: number;
}

const factory = await clientFactory();
let teams: Team[] = [];
let target: LoadgenSetup['target'] = 'ours';
let current: Recorder | null = null;
const frames: FrameSizes = {};
const observe: Observe = (sent, answer) => {
  frames.command ??= frameBytes('command', sent);
  frames.ack ??= frameBytes('ack', answer);
};
const ours = moveTransport() === 'rest' ? restSender() : socketSender(observe);
const peer = peerSender(observe);

function listen(m: Member, socket: BenchSocket): void {
  if (target === 'peer') {
    listenPeer(socket, (key, todo) => {
      frames.event ??= frameBytes('event', ['todo:updated', todo]);
      current?.receipt(key, m.userId, todo);
    });
    return;
  }
  socket.on('opportunity:moved', (env: { data: { opportunity: { id: number; version: number } } }) => {
    const { id, version } = env.data.opportunity;
    frames.event ??= frameBytes('event', ['opportunity:moved', env]);
    current?.receipt(flightKey(id, version), m.userId, env);
  });
}

function setUp(setup: LoadgenSetup): void {
  target = setup.target;
  teams = setup.teams.map((t) => ({ teamId: t.teamId, members: t.members, cursor: 0, connected: 0 }));
}

/**
 * Connects one half of every team (members 0-1, 4-5, ... or 2-3, 6-7, ..., so both nodes get their
 * share), letting the orchestrator measure memory between halves. Ours authenticates with the
 * rep's token; bare just names the room to join.
 */
async function connectHalf(half: 0 | 1, concurrency = 50): Promise<{ connected: number; failed: number; ms: number }> {
  const queue = teams.flatMap((team) => team.members.filter((_, j) => ((j >> 1) & 1) === half).map((m) => ({ team, m })));
  const t0 = performance.now();
  let failed = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { team, m } = next;
      // The peer has no auth and one room: every socket hears every other's updates.
      const auth = { ours: { token: m.token }, bare: { room: `team:${team.teamId}` }, peer: {} }[target];
      try {
        m.socket = await factory.connect(m.url, auth);
        listen(m, m.socket);
        if (target === 'peer') await createTodo(m);
        team.connected++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { connected: teams.reduce((n, t) => n + t.connected, 0), failed, ms: performance.now() - t0 };
}

serve({
  setup: (setup: LoadgenSetup) => setUp(setup),
  connect: ({ half }: { half: 0 | 1 }) => connectHalf(half),
  library: () => factory.library,
  stats: () => procStats(0),
  frames: () => frames,
  async run({ spec, sample }: { spec: PhaseSpec; sample?: unknown }) {
    // The wx test double keeps every frame; dropping them each second keeps GC out of the numbers.
    const sweeper = setInterval(() => factory.forget(), 1000);
    const send = { ours, peer, bare: bareSender(sample) }[target];
    const result = await runPhase(spec, teams, send, (rec) => {
      current = rec;
    }).finally(() => clearInterval(sweeper));
    current = null;
    factory.forget();
    const lost = teams.reduce((n, t) => n + t.members.filter((m) => m.socket && !m.socket.connected).length, 0);
    return { ...result, lost };
  },
  stop() {
    for (const t of teams) for (const m of t.members) m.socket?.disconnect();
    setTimeout(() => process.exit(0), 200);
  },
});
