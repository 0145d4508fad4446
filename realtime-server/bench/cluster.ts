import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import type { AdapterKind } from '../src/redis.js';
import type { SeededTeam } from './bench-db.js';
import { BenchChild } from './ipc.js';
import type { LoadgenSetup } from './loadgen-process.js';
import type { PhoneSpec } from './phones.js';
import type { ProcStats } from './proc-stats.js';
import type { Member } from './senders.js';
import { backendCpu } from './stats.js';
import type { DriveTarget, Kind } from './targets.js';

export type { DriveTarget, Kind } from './targets.js';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = `bench-${randomBytes(24).toString('hex')}`;
const here = (file: string) => resolve(import.meta.dirname, file);

/** Server processes (ours or bare) sharing one Redis channel prefix and one adapter kind; or the peer's. */
export interface ServerSet {
  kind: DriveTarget;
  urls: string[];
  stats(collect?: boolean): Promise<ProcStats[]>;
  /** CPU of the PostgreSQL backends serving these servers, microseconds (0 for bare). */
  dbCpu(): Promise<number>;
  stop(): Promise<void>;
  /** Our bench children (none for the peer, which runs as it ships). */
  procs: BenchChild[];
}

/** Servers the bench starts as its own children (ours or bare), which it can restart. */
export interface ChildServers extends ServerSet {
  /** Redis channel prefix: servers started with the same one are one cluster. */
  redisKey: string;
  /** Stops server `i` as a deploy does (drained), freeing its port. */
  stopNode(i: number): Promise<void>;
  /** Starts server `i` again in a new process on its old port, so its clients' own reconnects find it. */
  startNode(i: number): Promise<void>;
}

export async function startServers(
  kind: Kind,
  opts: { databaseUrl: string; nodes: number; redisKey?: string; adapter?: AdapterKind },
): Promise<ChildServers> {
  // Both sides always get the same adapter kind: bare would otherwise stay classic under REDIS_ADAPTER=sharded.
  const adapter = opts.adapter ?? (process.env['REDIS_ADAPTER'] === 'sharded' ? 'sharded' : 'classic');
  const redisKey = opts.redisKey ?? `livecrm-bench-${kind}-${randomBytes(5).toString('hex')}`;
  const envs = Array.from({ length: opts.nodes }, (_, i): Record<string, string> =>
    kind === 'ours'
      ? {
          NODE_ENV: 'production',
          DATABASE_URL: opts.databaseUrl,
          REDIS_URL,
          REDIS_KEY: redisKey,
          JWT_SECRET,
          PUBLIC_URL: 'http://127.0.0.1',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          NODE_ID: `bench-${i + 1}`,
          AUTH_DEV_LOGIN: '0',
          REDIS_ADAPTER: adapter,
        }
      : { NODE_ENV: 'production', REDIS_URL, REDIS_KEY: redisKey, PORT: '0', REDIS_ADAPTER: adapter },
  );
  const flags = kind === 'ours' ? (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean) : [];
  const spawn = (i: number) =>
    BenchChild.start(`${kind}-${i + 1}`, here(kind === 'ours' ? 'node-process.ts' : 'bare-process.ts'), envs[i]!, [
      '--expose-gc',
      ...flags,
    ]);
  const procs = envs.map((_, i) => spawn(i));
  const ready = await Promise.all(procs.map((p) => p.ready));
  // A restarted server takes the port it was first given.
  ready.forEach((r, i) => (envs[i]!['PORT'] = String(r['port'])));
  const db = kind === 'ours' ? backendCpu(opts.databaseUrl) : null;
  return {
    kind,
    procs,
    redisKey,
    urls: ready.map((r) => `http://127.0.0.1:${r['port']}`),
    stats: (collect = false) => Promise.all(procs.map((p) => p.call<ProcStats>('stats', { collect }))),
    dbCpu: async () => (db ? db.sample() : 0),
    stopNode: (i) => procs[i]!.stop(),
    async startNode(i) {
      const proc = (procs[i] = spawn(i));
      await proc.ready;
    },
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
      await db?.close();
    },
  };
}

type ConnectOutcome = { connected: number; failed: number; ms: number };

/** `connect` on every load generator at once; connected and failed summed, the slowest time. */
async function connectAll(procs: BenchChild[], args: (i: number) => unknown): Promise<ConnectOutcome> {
  const outcomes = await Promise.all(procs.map((p, i) => p.call<ConnectOutcome>('connect', args(i))));
  return {
    connected: outcomes.reduce((a, o) => a + o.connected, 0),
    failed: outcomes.reduce((a, o) => a + o.failed, 0),
    ms: Math.max(...outcomes.map((o) => o.ms)),
  };
}

const stopAll = async (procs: BenchChild[]) => {
  await Promise.all(procs.map((p) => p.stop()));
};

/** The first node's RSS every 100 ms; answers the peak. */
export function rssSampler(servers: ServerSet) {
  let peak = 0;
  const timer = setInterval(() => {
    void servers.stats().then(([s]) => (peak = Math.max(peak, s!.rss)));
  }, 100);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

/** Load generator processes; each gets whole teams so a move and its receipts share a clock. */
export interface Loadgens {
  procs: BenchChild[];
  /** Share of the teams each process holds, to split an open-loop rate. */
  shares: number[];
  library: string;
  /** Connects half of every team (0, then 1); answers the total connected so far. */
  connect(half: 0 | 1): Promise<ConnectOutcome>;
  stop(): Promise<void>;
}

export async function startLoadgens(
  kind: DriveTarget,
  servers: Pick<ServerSet, 'urls'>,
  teams: SeededTeam[],
  tenantId: number,
  count: number,
): Promise<Loadgens> {
  const signer = createTokenSigner(JWT_SECRET);
  const n = Math.min(count, teams.length);
  const setups: LoadgenSetup[] = Array.from({ length: n }, () => ({ target: kind, teams: [] }));
  teams.forEach((team, i) => {
    // Alternate nodes inside each team, so every move also crosses Redis to the other node.
    const members: Member[] = team.members.map((m, j) => ({
      ...m,
      token: signer.sign(m.userId, tenantId),
      stages: team.stages,
      teamId: team.teamId,
      url: servers.urls[j % servers.urls.length]!,
    }));
    setups[i % n]!.teams.push({ teamId: team.teamId, members });
  });
  const procs = setups.map((_, i) => BenchChild.start(`loadgen-${kind}-${i + 1}`, here('loadgen-process.ts'), {}));
  await Promise.all(procs.map((p) => p.ready));
  await Promise.all(procs.map((p, i) => p.call('setup', setups[i])));
  return {
    procs,
    shares: setups.map((s) => s.teams.length / teams.length),
    library: await procs[0]!.call<string>('library'),
    connect: (half) => connectAll(procs, () => ({ half })),
    stop: () => stopAll(procs),
  };
}

/** Load generators of phones (phone-process.ts) for connections.ts; phone j of the list runs in process j % count. */
export interface PhoneFleet {
  procs: BenchChild[];
  /** Phones each process holds. */
  sizes: number[];
  library: string;
  /** One command to every process; answers in process order. */
  all<T>(cmd: string, args?: unknown): Promise<T[]>;
  /** Brings phones online until the first `total` of the list are. */
  connect(total: number): Promise<ConnectOutcome>;
  stop(): Promise<void>;
}

/** One phone per seeded rep (team by team), all on `url`. */
export async function startPhones(url: string, teams: SeededTeam[], tenantId: number, count: number): Promise<PhoneFleet> {
  const signer = createTokenSigner(JWT_SECRET);
  const specs: PhoneSpec[] = teams.flatMap((t) =>
    t.members.map((m) => ({ userId: m.userId, teamId: t.teamId, token: signer.sign(m.userId, tenantId), url })),
  );
  const n = Math.max(1, Math.min(count, specs.length));
  const shares = Array.from({ length: n }, (_, i) => specs.filter((_, j) => j % n === i));
  const procs = shares.map((_, i) => BenchChild.start(`phones-${i + 1}`, here('phone-process.ts'), {}, ['--expose-gc']));
  await Promise.all(procs.map((p) => p.ready));
  await Promise.all(procs.map((p, i) => p.call('setup', { phones: shares[i] })));
  const all = <T>(cmd: string, args: unknown = {}) => Promise.all(procs.map((p) => p.call<T>(cmd, args)));
  return {
    procs,
    sizes: shares.map((s) => s.length),
    library: await procs[0]!.call<string>('library'),
    all,
    // Process i holds phones i, i + n, ...: its share of the first `total`.
    connect: (total) => connectAll(procs, (i) => ({ upTo: Math.max(0, Math.ceil((total - i) / n)) })),
    stop: () => stopAll(procs),
  };
}
