#!/usr/bin/env node
/* global console, process, Buffer */
// The main package as WeChat would upload it from miniprogram/ with "filter unused files" on
// (project.config.json: ignoreUploadUnusedFiles): app files, every page, and whatever they reach
// through usingComponents, require/import, <import>/<include>/<wxs> and @import, npm included
// (miniprogram/miniprogram_npm as `npm run build:npm` packs it, or, when it is not built, the
// packages' miniprogram_dist). Tests, typings and .d.ts never ship. TypeScript counts as the
// JavaScript it compiles to (unminified, so the figure errs high). Exits 1 over budget.
import { transformSync } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePackage, miniprogramDependencies, ROOT } from './pack-miniprogram-npm.mjs';

export const BUDGET_BYTES = 1.5 * 1024 * 1024;
export const WECHAT_LIMIT_BYTES = 2 * 1024 * 1024;
const NPM = 'miniprogram_npm';
const ASSETS = ['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.ttf', '.woff', '.woff2'];
const NEVER_SHIPPED = ['test', 'typings', 'node_modules', NPM];

/** Upload paths (posix, relative to the mini program root) mapped onto files on disk. */
function createTree(mpRoot) {
  const built = existsSync(join(mpRoot, NPM));
  const packages = built ? [] : miniprogramDependencies().map(describePackage);
  const physical = (logical) => {
    if (built || !logical.startsWith(`${NPM}/`)) return join(mpRoot, logical);
    const rest = logical.slice(NPM.length + 1);
    const pkg = packages.find((p) => rest.startsWith(`${p.name}/`));
    if (!pkg) return null;
    const sub = rest.slice(pkg.name.length + 1);
    if (pkg.kind === 'main') return sub === 'index.js' ? pkg.from : null;
    return join(pkg.from, sub);
  };
  return {
    npmSource: built ? `miniprogram/${NPM} (built)` : 'node_modules (miniprogram_dist; miniprogram_npm not built)',
    isFile: (l) => {
      const p = physical(l);
      return Boolean(p && existsSync(p) && statSync(p).isFile());
    },
    read: (l) => readFileSync(physical(l), 'utf8'),
    size: (l) => statSync(physical(l)).size,
  };
}

const isRelative = (spec) => spec.startsWith('./') || spec.startsWith('../');

/** Where a path written in `from` points: relative, root-absolute, or a bare npm name (nearest miniprogram_npm upwards). */
function candidates(spec, from) {
  if (spec.startsWith('/')) return [spec.slice(1)];
  if (isRelative(spec)) return [posix.join(posix.dirname(from), spec)];
  const out = [];
  for (let dir = posix.dirname(from); ; dir = posix.dirname(dir)) {
    out.push(posix.join(dir === '.' ? '' : dir, NPM, spec));
    if (dir === '.' || dir === '') return out;
  }
}

function firstFile(tree, bases, suffixes) {
  for (const base of bases) for (const s of suffixes) if (tree.isFile(base + s)) return base + s;
  return null;
}

// A module specifier has no spaces or commas: that keeps `["from","to"]` and a message ending in
// "from" (a string, then a comma) from reading as imports.
const JS_SPECS = [/require\(\s*["']([^"']+)["']\s*\)/g, /\bfrom\s*["']([^"'\s,]+)["']/g, /\bimport\s*["']([^"'\s,]+)["']/g];
const WXML_SPECS = [/<(?:import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g];
const WXSS_SPECS = [/@import\s+["']([^"']+)["']/g];
const specsIn = (text, patterns) => patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));

/** Walks the dependency graph from app.json; answers every shipped file and its size. */
export function mainPackage(mpRoot = join(ROOT, 'miniprogram')) {
  const tree = createTree(mpRoot);
  const files = new Map();
  const missing = [];
  const add = (l, bytes) => {
    if (files.has(l)) return false;
    files.set(l, bytes ?? tree.size(l));
    return true;
  };
  const miss = (spec, from) => missing.push(`${spec} (from ${from})`);

  function visitScript(l) {
    const src = tree.read(l);
    const code = l.endsWith('.ts') ? transformSync(src, { loader: 'ts', format: 'cjs', target: 'es2020' }).code : src;
    if (!add(l, Buffer.byteLength(code))) return;
    for (const spec of specsIn(code, JS_SPECS)) {
      const dep = firstFile(tree, candidates(spec, l), ['', '.ts', '.js', '/index.ts', '/index.js']);
      if (dep) visitScript(dep);
      else miss(spec, l);
    }
  }

  function visitMarkup(l, patterns) {
    if (!add(l)) return;
    const text = tree.read(l);
    for (const spec of specsIn(text, patterns)) {
      const dep = firstFile(tree, candidates(spec, l), ['', '.wxml', '.wxss', '.wxs']);
      if (!dep) miss(spec, l);
      else if (dep.endsWith('.wxs')) visitMarkup(dep, JS_SPECS);
      else visitMarkup(dep, dep.endsWith('.wxss') ? WXSS_SPECS : WXML_SPECS);
    }
  }

  function visitComponent(base, from) {
    const found = firstFile(tree, [base, `${base}/index`], ['.json', '.js', '.ts']);
    if (!found) return miss(base, from);
    const stem = found.replace(/\.(json|js|ts)$/, '');
    if (files.has(`${stem}.json`) || files.has(`${stem}.wxml`)) return;
    if (tree.isFile(`${stem}.json`)) visitJson(`${stem}.json`);
    if (tree.isFile(`${stem}.wxml`)) visitMarkup(`${stem}.wxml`, WXML_SPECS);
    if (tree.isFile(`${stem}.wxss`)) visitMarkup(`${stem}.wxss`, WXSS_SPECS);
    const script = firstFile(tree, [stem], ['.ts', '.js']);
    if (script) visitScript(script);
  }

  function visitJson(l) {
    if (!add(l)) return;
    for (const spec of Object.values(JSON.parse(tree.read(l)).usingComponents ?? {})) {
      if (typeof spec !== 'string' || spec.startsWith('plugin://')) continue;
      const bases = candidates(spec, l);
      visitComponent(bases.find((b) => firstFile(tree, [b, `${b}/index`], ['.json', '.js', '.ts'])) ?? bases[0], l);
    }
  }

  const app = JSON.parse(tree.read('app.json'));
  visitJson('app.json');
  for (const f of ['app.wxss', app.sitemapLocation ?? 'sitemap.json', app.themeLocation].filter(Boolean)) if (tree.isFile(f)) add(f);
  const appScript = firstFile(tree, ['app'], ['.ts', '.js']);
  if (appScript) visitScript(appScript);
  for (const page of app.pages ?? []) visitComponent(page, 'app.json');
  // Images and fonts are kept whether or not the analysis sees them referenced (errs high).
  for (const l of ownAssets(mpRoot)) add(l);
  return { files, missing, npmSource: tree.npmSource };
}

function* ownAssets(mpRoot, dir = '') {
  for (const entry of readdirSync(join(mpRoot, dir), { withFileTypes: true })) {
    const l = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !NEVER_SHIPPED.includes(entry.name)) yield* ownAssets(mpRoot, l);
    else if (entry.isFile() && ASSETS.some((ext) => entry.name.endsWith(ext))) yield l;
  }
}

/** Totals per owner (our code, or each npm package) and the verdict against the budget. */
export function checkPackageSize(mpRoot) {
  const { files, missing, npmSource } = mainPackage(mpRoot);
  const groups = new Map();
  let total = 0;
  for (const [l, bytes] of files) {
    const pkg = l.startsWith(`${NPM}/`) ? l.split('/')[1] : 'own code';
    const g = groups.get(pkg) ?? { bytes: 0, files: 0 };
    g.bytes += bytes;
    g.files += 1;
    groups.set(pkg, g);
    total += bytes;
  }
  return { total, budget: BUDGET_BYTES, ok: total < BUDGET_BYTES && missing.length === 0, groups, files, missing, npmSource };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = checkPackageSize();
  console.log(
    `Main package (unused files filtered): ${kb(r.total)} of a ${kb(r.budget)} budget (WeChat limit ${kb(WECHAT_LIMIT_BYTES)}); npm from ${r.npmSource}`,
  );
  for (const [name, g] of [...r.groups].sort((a, b) => b[1].bytes - a[1].bytes))
    console.log(`  ${kb(g.bytes).padStart(10)}  ${name} (${g.files} files)`);
  for (const m of r.missing) console.log(`  unresolved: ${m}`);
  if (!r.ok) process.exit(1);
}
