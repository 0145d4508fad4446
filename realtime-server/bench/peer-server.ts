/**
 * The peer on this machine: Socket.IO's own basic CRUD example with PostgreSQL and a cluster
 * (`examples/basic-crud-application/server-postgres-cluster`), read from BENCH_PEER_DIR at bench
 * time (see README), never kept in this repository. It is copied to a temp directory, its
 * dependencies installed there with npm, and only the settings it hard-codes are rewritten:
 * port, database, worker count and Sequelize's echo of every statement. Its code runs as shipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { freePort } from '../test/support/children.js';
import { createEmptyDatabase } from '../test/support/databases.js';
import type { ServerSet } from './cluster.js';
import { sh } from './machine.js';
import type { ProcStats } from './proc-stats.js';
import { backendCpu, procCpuMicros, procParent, procRssBytes } from './stats.js';

export interface PeerInfo {
  /** Where the example came from: its commit when BENCH_PEER_DIR is a git checkout, or BENCH_PEER_REF. */
  source: string;
  versions: Record<string, string>;
  /** What was rewritten in the temp copy, for the report. */
  patches: string[];
}
export type PeerServers = ServerSet & { info: PeerInfo };

interface Patch {
  file: string;
  from: string | RegExp;
  to: string;
  why: string;
}

const PACKAGES = ['socket.io', '@socket.io/postgres-adapter', '@socket.io/sticky', 'sequelize', 'pg'];

function patchesFor(port: number, workers: number, databaseUrl: string): Patch[] {
  const u = new URL(databaseUrl);
  const q = JSON.stringify;
  const [db, user, password] = [u.pathname.slice(1), u.username || 'postgres', u.password || 'changeit'].map(decodeURIComponent);
  const [host, pgPort] = [u.hostname, Number(u.port || 5432)];
  return [
    {
      file: 'lib/cluster.js',
      from: 'httpServer.listen(3000)',
      to: `httpServer.listen(${port}, "127.0.0.1")`,
      why: `port ${port} on loopback`,
    },
    { file: 'lib/cluster.js', from: 'cpus().length', to: String(workers), why: `${workers} workers whatever the core count` },
    {
      file: 'lib/index.js',
      from: /new Sequelize\("postgres", "postgres", "changeit", \{\s*dialect: "postgres",/,
      to: `new Sequelize(${q(db)}, ${q(user)}, ${q(password)}, { dialect: "postgres", host: ${q(host)}, port: ${pgPort}, logging: false,`,
      why: 'Sequelize on its own database, without echoing each statement to stdout (ours logs at warn)',
    },
    {
      file: 'lib/index.js',
      from: /user: "postgres",\s*host: "localhost",\s*database: "postgres",\s*password: "changeit",\s*port: 5432,/,
      to: `user: ${q(user)}, host: ${q(host)}, database: ${q(db)}, password: ${q(password)}, port: ${pgPort},`,
      why: "the adapter's pool on the same database",
    },
  ];
}

/** Applies each patch exactly once; fails loudly when the example has changed under it. */
function applyPatches(dir: string, patches: Patch[]): string[] {
  for (const p of patches) {
    const path = join(dir, p.file);
    const text = readFileSync(path, 'utf8');
    const hits = typeof p.from === 'string' ? text.split(p.from).length - 1 : (text.match(new RegExp(p.from, 'g')) ?? []).length;
    if (hits !== 1) throw new Error(`peer changed: expected one ${String(p.from)} in ${p.file}, found ${hits}; update peer-server.ts`);
    writeFileSync(path, text.replace(p.from, p.to));
  }
  return patches.map((p) => `${p.file}: ${p.why}`);
}

/** The copy outside our repository, with its dependencies installed by npm. */
function prepareCopy(source: string): { dir: string; versions: Record<string, string> } {
  if (!existsSync(join(source, 'lib/cluster.js'))) {
    throw new Error(`BENCH_PEER_DIR=${source} is not the example's directory (no lib/cluster.js); see realtime-server/bench/README.md`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'livecrm-bench-peer-'));
  cpSync(source, dir, { recursive: true, filter: (from) => basename(from) !== 'node_modules' });
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
  if (npm.status !== 0) throw new Error(`npm install in ${dir} failed:\n${npm.stdout}${npm.stderr}`);
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    versions[name] = (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return { dir, versions };
}

/** Ready when every worker answers `todo:list` (least-connection puts each probe on another worker). */
async function waitReady(url: string, workers: number, primary: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (primary.exitCode !== null) throw new Error(`peer exited (code ${primary.exitCode})`);
    const probes = Array.from({ length: workers }, () => io(url, { transports: ['websocket'], forceNew: true, reconnection: false }));
    const answers = probes.map(
      (s) =>
        new Promise<boolean>((resolve) => {
          setTimeout(() => resolve(false), 2000);
          s.once('connect_error', () => resolve(false));
          s.once('connect', () => s.emit('todo:list', (res: { data?: unknown }) => resolve(Array.isArray(res?.data))));
        }),
    );
    const ok = (await Promise.all(answers)).every(Boolean);
    for (const s of probes) s.disconnect();
    if (ok) return;
    await sleep(500);
  }
  throw new Error('peer not ready in time');
}

const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => procParent(p) === pid);

/** Installs and starts the peer (primary + `workers`) on a database of its own, dropped by `stop`. */
export async function startPeer(source: string, workers: number): Promise<PeerServers> {
  const { dir, versions } = prepareCopy(source);
  const db = await createEmptyDatabase('livecrm_bench_peer');
  const port = await freePort();
  const patches = applyPatches(dir, patchesFor(port, workers, db.url));
  // Its own process group, so stopping it takes the workers along and nothing else.
  const primary = spawn(process.execPath, ['lib/cluster.js'], {
    cwd: dir,
    detached: true,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => primary.once('exit', () => resolve()));
  let stopped = false;
  const kill = (signal: NodeJS.Signals) => {
    if (stopped) return;
    try {
      process.kill(-primary.pid!, signal);
    } catch {
      // already gone
    }
  };
  process.once('exit', () => kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const cpu = backendCpu(db.url);
  try {
    await waitReady(url, workers, primary);
  } catch (err) {
    kill('SIGKILL');
    await cpu.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const pids = [primary.pid!, ...childrenOf(primary.pid!)];
  if (pids.length !== workers + 1) throw new Error(`peer has ${pids.length - 1} workers, expected ${workers}`);
  const stats = async (): Promise<ProcStats[]> => {
    // A worker the primary had to replace would make the CPU deltas meaningless.
    if (pids.slice(1).some((p) => procParent(p) !== pids[0])) throw new Error('a peer worker died during the bench');
    return pids.map((pid) => ({ cpuMicros: procCpuMicros(pid), rss: procRssBytes(pid), heapUsed: NaN, connections: 0 }));
  };
  return {
    kind: 'peer',
    urls: [url],
    procs: [],
    stats,
    dbCpu: () => cpu.sample(),
    info: { source: process.env['BENCH_PEER_REF'] ?? sh('git rev-parse HEAD', source), versions, patches },
    async stop() {
      kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      kill('SIGKILL'); // any worker that outlived its primary
      stopped = true;
      await cpu.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
