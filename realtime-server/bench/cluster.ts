import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import type { SeededTeam } from './bench-db.js';
import { BenchChild } from './ipc.js';
import type { LoadgenSetup } from './loadgen-process.js';
import type { ProcStats } from './proc-stats.js';
import type { Member } from './senders.js';
import { backendCpu } from './stats.js';

export type Kind = 'ours' | 'bare';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = `bench-${randomBytes(24).toString('hex')}`;
const here = (file: string) => resolve(import.meta.dirname, file);

/** Two server processes (ours or bare) sharing one Redis channel prefix of their own. */
export interface ServerSet {
  kind: Kind;
  urls: string[];
  stats(collect?: boolean): Promise<ProcStats[]>;
  /** CPU of the PostgreSQL backends serving these servers, microseconds (0 for bare). */
  dbCpu(): Promise<number>;
  stop(): Promise<void>;
  procs: BenchChild[];
}

export async function startServers(kind: Kind, opts: { databaseUrl: string; nodes: number }): Promise<ServerSet> {
  const redisKey = `livecrm-bench-${kind}-${randomBytes(5).toString('hex')}`;
  const procs = Array.from({ length: opts.nodes }, (_, i) => {
    const env: Record<string, string> =
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
          }
        : { NODE_ENV: 'production', REDIS_URL, REDIS_KEY: redisKey };
    const flags = kind === 'ours' ? (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean) : [];
    return BenchChild.start(`${kind}-${i + 1}`, here(kind === 'ours' ? 'node-process.ts' : 'bare-process.ts'), env, [
      '--expose-gc',
      ...flags,
    ]);
  });
  const ready = await Promise.all(procs.map((p) => p.ready));
  const db = kind === 'ours' ? backendCpu(opts.databaseUrl) : null;
  return {
    kind,
    procs,
    urls: ready.map((r) => `http://127.0.0.1:${r['port']}`),
    stats: (collect = false) => Promise.all(procs.map((p) => p.call<ProcStats>('stats', { collect }))),
    dbCpu: async () => (db ? db.sample() : 0),
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
      await db?.close();
    },
  };
}

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
  connect(half: 0 | 1): Promise<{ connected: number; failed: number; ms: number }>;
  stop(): Promise<void>;
}

export async function startLoadgens(
  kind: Kind,
  servers: ServerSet,
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
    async connect(half) {
      const outcomes = await Promise.all(procs.map((p) => p.call<{ connected: number; failed: number; ms: number }>('connect', { half })));
      return {
        connected: outcomes.reduce((a, o) => a + o.connected, 0),
        failed: outcomes.reduce((a, o) => a + o.failed, 0),
        ms: Math.max(...outcomes.map((o) => o.ms)),
      };
    },
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
    },
  };
}
