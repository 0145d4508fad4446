import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createClient } from 'redis';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Concatenates the load generators' samples and sorts them once. */
export function merged(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all.sort();
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Field-wise median of several runs' metrics. */
export function medianOf<T extends Record<string, number>>(runs: T[]): T {
  const out: Record<string, number> = {};
  for (const key of Object.keys(runs[0] ?? {})) out[key] = median(runs.map((r) => r[key]!));
  return out as T;
}

/** How busy the machine was over the 2 s before a bench starts, as a line for its report. */
export async function busyBefore(): Promise<string> {
  const a = machineCpu();
  await sleep(2000);
  const b = machineCpu();
  const busy = ((b.busy - a.busy) / (b.total - a.total)) * 100;
  return `Machine busy ${busy.toFixed(0)}% over the 2 s before start (load average ${loadavg()[0]!.toFixed(2)})${busy > 15 ? ': NOT quiet, other work was running' : ': quiet'}.`;
}

const TICK_US = 10_000; // /proc/<pid>/stat counts in 1/100 s
const PAGE_BYTES = 4096;

/** Fields of /proc/<pid>/stat after the command name (so index 0 is the state); null once the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return null;
  }
}

/** CPU (user + system, microseconds) of any process by pid, for processes the bench cannot ask over IPC. */
export function procCpuMicros(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_US : 0;
}

export function procRssBytes(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[21]) * PAGE_BYTES : 0;
}

/** Parent pid of a process, or 0 once it is gone. */
export function procParent(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[1]) : 0;
}

/** CPU (user + system, microseconds) of the PostgreSQL backends serving one database. */
export function backendCpu(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  const connected = client.connect();
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return {
    async sample(): Promise<number> {
      await connected;
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      // A backend that exited between the query and the read counts 0.
      return rows.reduce((n, { pid }) => n + procCpuMicros(pid), 0);
    },
    close: () => client.end(),
  };
}

/** CPU (user + system, microseconds) of the whole Redis server, all its threads (INFO cpu). */
export function redisCpu(url: string) {
  const client = createClient({ url });
  const connected = client.connect();
  return {
    async sample(): Promise<number> {
      await connected;
      const info = await client.info('cpu');
      const seconds = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
      return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
    },
    close: async () => {
      await connected;
      await client.quit();
    },
  };
}
