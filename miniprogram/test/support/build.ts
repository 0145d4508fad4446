import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** One build per source state: a run never has its build swapped out from under it. */
const BUILDS = join(ROOT, '.build', 'mp-test');
const LOCK = join(BUILDS, '.lock');
const DONE = '.complete';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['test', 'miniprogram_npm', 'node_modules'].includes(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** Changes when any source, build script or npm dependency changes. */
function sourceStamp(): string {
  const hash = createHash('sha1');
  const inputs = [
    ...files(join(ROOT, 'miniprogram')),
    join(ROOT, 'scripts', 'build-miniprogram.mjs'),
    join(ROOT, 'scripts', 'pack-miniprogram-npm.mjs'),
    join(ROOT, 'node_modules', 'tdesign-miniprogram', 'package.json'),
    join(ROOT, 'node_modules', 'weapp.socket.io', 'package.json'),
  ];
  for (const file of inputs.sort()) {
    const s = statSync(file);
    hash.update(`${file}:${s.size}:${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lock(): Promise<void> {
  mkdirSync(BUILDS, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      /* another test file is building */
    }
    // A lock left by a crashed run is older than any real build.
    const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (waited > 60_000 || age > 60_000) {
      try {
        rmdirSync(LOCK);
      } catch {
        /* raced with its owner */
      }
    }
    await sleep(100);
  }
}

/** Builds of earlier source states, once nobody can still be reading them. */
function pruneOld(keep: string): void {
  for (const name of readdirSync(BUILDS)) {
    const dir = join(BUILDS, name);
    if (name === keep || name.startsWith('.')) continue;
    if (Date.now() - statSync(dir).mtimeMs > 30 * 60_000) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Test files run in parallel: the first one that finds no build of the current sources makes it
 * (under a lock), the others wait and reuse it. Answers the build's root folder.
 */
export async function ensureBuilt(): Promise<string> {
  const stamp = sourceStamp();
  const dir = join(BUILDS, stamp);
  if (existsSync(join(dir, DONE))) return dir;
  await lock();
  try {
    if (!existsSync(join(dir, DONE))) {
      // A child process: esbuild refuses to run inside jsdom's globals.
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-miniprogram.mjs'), '--out', dir], { cwd: ROOT, stdio: 'pipe' });
      writeFileSync(join(dir, DONE), stamp);
    }
    pruneOld(stamp);
  } finally {
    try {
      rmdirSync(LOCK);
    } catch {
      /* already gone */
    }
  }
  return dir;
}
