import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const REPO = new URL('../../../', import.meta.url).pathname;

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 100): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Child {
  name: string;
  proc: ChildProcess;
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  /** exit code or signal once it has exited */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  exited: Promise<void>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Child>();
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const c of running) c.proc.kill('SIGKILL');
});

/** Spawns a process we own, keeping its output; `kill` waits until it is gone. */
export function spawnChild(name: string, command: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = {
    name,
    proc,
    lines: [],
    exit: null,
    exited: new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        child.exit = { code, signal };
        running.delete(child);
        resolve();
      }),
    ),
    alive: () => child.exit === null,
    async kill(signal = 'SIGTERM') {
      if (child.exit) return;
      proc.kill(signal);
      await child.exited;
    },
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      child.lines.push(...parts.filter(Boolean));
    });
  }
  running.add(child);
  return child;
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}
