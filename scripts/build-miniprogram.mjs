#!/usr/bin/env node
/* global console, process */
// Compiles miniprogram/ into .build/miniprogram/ for page tests and previews: every .ts becomes a
// CommonJS .js (esbuild, one file at a time, as WeChat's TypeScript plugin does), .wxml/.wxss/
// .json/.wxs and images are copied, and miniprogram_npm/ is packed with its ES modules turned
// into CommonJS so Node (and miniprogram-simulate) can require them. Bare npm specifiers, in
// require() calls and in usingComponents, are resolved the way WeChat resolves them (nearest
// miniprogram_npm folder upwards) and written as relative paths.
import { transformSync } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packNpm, ROOT, walk } from './pack-miniprogram-npm.mjs';

const COPIED = ['.wxml', '.wxss', '.json', '.wxs', '.png', '.jpg', '.svg'];
const SKIPPED_DIRS = ['test', 'typings', 'miniprogram_npm', 'node_modules'];

const toPosix = (p) => p.split(sep).join('/');
const isBare = (spec) => !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('plugin://');

/** WeChat's lookup: the nearest `miniprogram_npm/<pkg>` from the requiring file up to the root. */
export function resolveBare(spec, fromFile, rootDir) {
  const [first, second] = spec.split('/');
  const pkg = first.startsWith('@') ? `${first}/${second}` : first;
  const rest = spec.slice(pkg.length);
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const candidate = join(dir, 'miniprogram_npm', pkg);
    if (existsSync(candidate)) {
      const rel = toPosix(relative(dirname(fromFile), candidate + rest));
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    if (dir === rootDir || dir === dirname(dir)) return null;
  }
}

function rewriteRequires(code, file, rootDir) {
  return code.replace(/require\((["'])([^"']+)\1\)/g, (whole, quote, spec) => {
    if (!isBare(spec)) return whole;
    const rel = resolveBare(spec, file, rootDir);
    return rel ? `require(${quote}${rel}${quote})` : whole;
  });
}

function toCommonJs(code, file, rootDir, loader = 'js') {
  const out = transformSync(code, { loader, format: 'cjs', target: 'es2020', sourcefile: file });
  return rewriteRequires(out.code, file, rootDir);
}

function rewriteComponentJson(text, file, rootDir) {
  const json = JSON.parse(text);
  const using = json.usingComponents;
  if (!using) return text;
  for (const [tag, path] of Object.entries(using)) {
    if (typeof path !== 'string' || !isBare(path)) continue;
    const rel = resolveBare(path, file, rootDir);
    if (rel) using[tag] = rel;
  }
  return `${JSON.stringify(json, null, 2)}\n`;
}

function sourceFiles(srcDir) {
  return [...walk(srcDir)].filter((file) => {
    const parts = toPosix(relative(srcDir, file)).split('/');
    return !parts.slice(0, -1).some((p) => SKIPPED_DIRS.includes(p));
  });
}

/** Builds the app into `outDir`; returns the number of files written. */
export function buildMiniprogram({ srcDir = join(ROOT, 'miniprogram'), outDir = join(ROOT, '.build', 'miniprogram') } = {}) {
  // Build beside the target and swap it in, so a concurrent reader (tests, previews) never sees half a tree.
  const finalDir = outDir;
  outDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(outDir, { recursive: true });
  // npm first: app requires are resolved against what is packed there.
  packNpm(join(outDir, 'miniprogram_npm'), { transformJs: (code, file) => toCommonJs(code, file, outDir) });
  let count = 0;
  const jsonFiles = [];
  for (const file of sourceFiles(srcDir)) {
    const rel = relative(srcDir, file);
    const dest = join(outDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const js = dest.replace(/\.ts$/, '.js');
      writeFileSync(js, toCommonJs(readFileSync(file, 'utf8'), js, outDir, 'ts'));
      count += 1;
    } else if (file.endsWith('tsconfig.json')) {
      continue;
    } else if (file.endsWith('.json')) {
      jsonFiles.push([file, dest]);
    } else if (COPIED.some((ext) => file.endsWith(ext))) {
      cpSync(file, dest);
      count += 1;
    }
  }
  for (const [file, dest] of jsonFiles) {
    writeFileSync(dest, rewriteComponentJson(readFileSync(file, 'utf8'), dest, outDir));
    count += 1;
  }
  // tdesign's own components may name siblings with bare paths too.
  for (const file of walk(join(outDir, 'miniprogram_npm'))) {
    if (file.endsWith('.json')) writeFileSync(file, rewriteComponentJson(readFileSync(file, 'utf8'), file, outDir));
  }
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(outDir, finalDir);
  return { outDir: finalDir, count };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const at = process.argv.indexOf('--out');
  const { outDir, count } = buildMiniprogram(at > 0 && process.argv[at + 1] ? { outDir: resolve(process.argv[at + 1]) } : {});
  console.log(`built ${count} app files into ${relative(ROOT, outDir)} in ${Date.now() - started} ms`);
}
