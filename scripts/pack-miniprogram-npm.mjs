#!/usr/bin/env node
/* global console, process */
// Packs the mini program's npm dependencies into miniprogram/miniprogram_npm, as WeChat DevTools'
// "Build npm" does. When miniprogram-ci is installed (it is optional: ~280 MB of dependencies) its
// packNpmManually does it, offline; otherwise (or with --copy) an equivalent copy: a package with a
// `miniprogram` field gets that folder copied, any other gets its `main` file as index.js. Files
// are copied, never linked (the WeChat compiler skips symlinks).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Where a dependency lives and what DevTools would copy from it. */
export function describePackage(name) {
  const pkgDir = dirname(require.resolve(`${name}/package.json`));
  const pkg = readJson(join(pkgDir, 'package.json'));
  if (pkg.miniprogram) return { name, kind: 'dir', from: join(pkgDir, pkg.miniprogram) };
  return { name, kind: 'main', from: join(pkgDir, pkg.main ?? 'index.js') };
}

/** The runtime dependencies listed in the root package.json (the mini program's only ones). */
export function miniprogramDependencies() {
  return Object.keys(readJson(join(ROOT, 'package.json')).dependencies ?? {});
}

export function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Copies every dependency into `npmDir/<name>`. `transformJs(code, file)` may rewrite each .js
 * (the test build turns ES modules into CommonJS); type declarations are left out.
 */
export function packNpm(npmDir, { transformJs } = {}) {
  rmSync(npmDir, { recursive: true, force: true });
  const packed = [];
  for (const name of miniprogramDependencies()) {
    const pkg = describePackage(name);
    const dest = join(npmDir, name);
    if (pkg.kind === 'main') {
      copyFile(pkg.from, join(dest, 'index.js'));
    } else {
      for (const file of walk(pkg.from)) {
        if (!file.endsWith('.d.ts')) copyFile(file, join(dest, relative(pkg.from, file)));
      }
    }
    packed.push({ name, from: relative(ROOT, pkg.from), to: relative(ROOT, dest) });
  }
  // After copying everything, so a transform can resolve against the whole packed tree.
  if (transformJs) {
    for (const file of walk(npmDir)) {
      if (file.endsWith('.js')) writeFileSync(file, transformJs(readFileSync(file, 'utf8'), file));
    }
  }
  return packed;
}

function copyFile(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { dereference: true });
}

/** miniprogram-ci's own packer, when it is installed; false when it is not. */
async function packWithMiniprogramCi(npmDir) {
  let ci;
  try {
    ci = require('miniprogram-ci');
  } catch {
    return false;
  }
  rmSync(npmDir, { recursive: true, force: true });
  const result = await ci.packNpmManually({
    packageJsonPath: join(ROOT, 'package.json'),
    miniprogramNpmDistDir: join(ROOT, 'miniprogram'),
  });
  for (const w of result?.warnList ?? []) console.warn(`miniprogram-ci: ${w.msg}`);
  console.log(
    `packed with miniprogram-ci: ${result?.miniProgramPackNum ?? 0} mini program packages, ${result?.otherNpmPackNum ?? 0} others`,
  );
  return true;
}

async function main() {
  const npmDir = join(ROOT, 'miniprogram', 'miniprogram_npm');
  if (!process.argv.includes('--copy') && (await packWithMiniprogramCi(npmDir))) return;
  const packed = packNpm(npmDir);
  for (const p of packed) console.log(`packed ${p.name}: ${p.from} -> ${p.to}`);
  const files = [...walk(npmDir)].length;
  const bytes = [...walk(npmDir)].reduce((n, f) => n + statSync(f).size, 0);
  console.log(`${files} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(ROOT, npmDir)}`);
  if (!existsSync(join(npmDir, 'weapp.socket.io', 'index.js'))) throw new Error('weapp.socket.io was not packed');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
