import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

/** The repository root; results go to `bench/results` under it. */
export const REPO = resolve(import.meta.dirname, '../..');

/** A shell command's output, or `?` when it fails (the report still gets written). */
export function sh(cmd: string, cwd = REPO): string {
  try {
    return execSync(cmd, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

/** Cores, memory, Node and kernel, for a report's header. */
export const machineLine = (): string =>
  `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${sh('uname -sr')}`;

/** The commit measured, flagged when the server's source differs from it. */
export const commitLine = (): string =>
  `${sh('git rev-parse --short HEAD')}${sh('git status --porcelain -- realtime-server/src') ? ' (+ uncommitted server changes)' : ''}`;

/** Every client holds a socket in a load generator and one in a server process. */
export function checkFileLimit(clients: number): void {
  const limit = Number(sh('sh -c "ulimit -n"'));
  if (Number.isFinite(limit) && limit < clients + 1024) {
    throw new Error(
      `ulimit -n is ${limit}; the bench needs at least ${clients + 1024} open files per process. Run \`ulimit -n 65536\` first.`,
    );
  }
}
