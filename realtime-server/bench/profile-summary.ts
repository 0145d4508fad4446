/**
 * Summarizes `--cpu-prof` output: self time by package / source file and by function.
 * Standalone: `npx tsx realtime-server/bench/profile-summary.ts <dir> [top]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** `node_modules/<pkg>`, our own source file, or a V8 pseudo-frame such as (garbage collector). */
function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const mod = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (mod) return mod[1]!;
  if (url.startsWith('node:')) return 'node:internals';
  const ours = url.match(/(realtime-server|models|shared-types)\/(src|bench)\/.*$/);
  return ours ? ours[0] : url;
}

function add(map: Map<string, number>, key: string, v: number): void {
  map.set(key, (map.get(key) ?? 0) + v);
}

export function summarizeProfiles(dir: string, top = 25): string[] {
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const perSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
    const hits = new Map<number, number>();
    for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
    for (const n of p.nodes) {
      const t = (hits.get(n.id) ?? 0) * perSample;
      const { functionName, url, lineNumber } = n.callFrame;
      if (!t || functionName === '(idle)') continue;
      total += t;
      const who = owner(url, functionName);
      add(byOwner, who, t);
      add(byFn, `${functionName || '(anonymous)'} @ ${who}:${lineNumber + 1}`, t);
    }
  }
  const fmt = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return [
    `Profiles: ${files.length} file(s), ${(total / 1000).toFixed(1)} s of busy CPU (idle excluded). Self time by package / file:`,
    ...fmt(byOwner),
    'Self time by function:',
    ...fmt(byFn),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: profile-summary.ts <dir> [top]');
  process.stdout.write(`${summarizeProfiles(dir, Number(process.argv[3] ?? 40)).join('\n')}\n`);
}
