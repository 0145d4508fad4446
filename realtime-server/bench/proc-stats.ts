import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';

/** What the orchestrator samples from a server process before and after a measured window. */
export interface ProcStats {
  /** user + system CPU time since start, microseconds. */
  cpuMicros: number;
  heapUsed: number;
  rss: number;
  connections: number;
}

/** Full collection first when asked (the process runs with --expose-gc), so heap figures compare. */
export function procStats(connections: number, collect = false): ProcStats {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc) {
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuMicros: cpu.user + cpu.system, heapUsed: mem.heapUsed, rss: mem.rss, connections };
}

/**
 * The V8 CPU profiler `--cpu-prof` uses, started and stopped on command so a profile covers the
 * measured window only (not start-up, connecting or warmup).
 */
export function cpuProfiler() {
  const session = new Session();
  session.connect();
  return {
    async profileStart() {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    async profileStop({ file }: { file: string }) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}
