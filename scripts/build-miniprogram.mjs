#!/usr/bin/env node
/* global console, process, URL */
// Compiles miniprogram/ into .build/miniprogram/ for page tests and previews: every .ts becomes a
// CommonJS .js (esbuild, one file at a time, as WeChat's TypeScript plugin does), .wxml/.wxss/
// .json/.wxs and images are copied, and miniprogram_npm/ is packed with its ES modules turned
// into CommonJS so Node (and miniprogram-simulate) can require them. Bare npm specifiers, in
// require() calls and in usingComponents, are resolved the way WeChat resolves them (nearest
// miniprogram_npm folder upwards) and written as relative paths.
//
// `--production` (with LIVECRM_SERVER_URL) builds what is uploaded to WeChat: services/build-config
// names that server and hides the login page's server field, and the output folder carries its own
// project.config.json so WeChat DevTools can open it, preview and upload. Without it the output is
// the development build, as DevTools compiles the committed TypeScript sources.
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

/**
 * The server a production build talks to. WeChat only lets a released mini program reach https
 * domains; plain http is accepted for loopback alone, to try a production build locally.
 */
export function productionServerUrl(value) {
  const hint = 'set LIVECRM_SERVER_URL to the https address of the realtime server, e.g. https://crm.example.com';
  if (!value) throw new Error(`--production needs the server address: ${hint}`);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`LIVECRM_SERVER_URL is not a URL (${value}): ${hint}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`LIVECRM_SERVER_URL must be https (WeChat refuses other request domains): ${value}`);
  }
  if (url.pathname !== '/' || url.search || url.hash)
    throw new Error(`LIVECRM_SERVER_URL is the server's origin, without a path: ${value}`);
  return url.origin;
}

/** Replaces the committed development settings in the output (services/build-config.ts is their source). */
function writeProductionConfig(outDir, serverUrl) {
  const source = `export const BUILD = ${JSON.stringify({ mode: 'production', serverUrl })};\n`;
  const file = join(outDir, 'services', 'build-config.js');
  writeFileSync(file, toCommonJs(source, file, outDir));
  // DevTools opens the output as a project of its own: JavaScript already compiled, npm already packed.
  const project = JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8'));
  delete project.srcMiniprogramRoot;
  project.miniprogramRoot = './';
  project.description = `Live CRM production build for ${serverUrl} (npm run build:mp -- --production)`;
  if (process.env.WECHAT_APPID) project.appid = process.env.WECHAT_APPID;
  // A release checks request domains against the ones registered for the AppID, as WeChat will.
  project.setting = { ...project.setting, urlCheck: true, useCompilerPlugins: false, packNpmManually: false, packNpmRelationList: [] };
  writeFileSync(join(outDir, 'project.config.json'), `${JSON.stringify(project, null, 2)}\n`);
}

function sourceFiles(srcDir) {
  return [...walk(srcDir)].filter((file) => {
    const parts = toPosix(relative(srcDir, file)).split('/');
    return !parts.slice(0, -1).some((p) => SKIPPED_DIRS.includes(p));
  });
}

/** Builds the app into `outDir`; returns the number of files written. */
export function buildMiniprogram({
  srcDir = join(ROOT, 'miniprogram'),
  outDir = join(ROOT, '.build', 'miniprogram'),
  serverUrl = null,
} = {}) {
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
  if (serverUrl) writeProductionConfig(outDir, serverUrl);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(outDir, finalDir);
  return { outDir: finalDir, count };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const at = process.argv.indexOf('--out');
  const production = process.argv.includes('--production');
  let serverUrl = null;
  try {
    if (production) serverUrl = productionServerUrl(process.env.LIVECRM_SERVER_URL);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  const outDir =
    at > 0 && process.argv[at + 1]
      ? resolve(process.argv[at + 1])
      : join(ROOT, '.build', production ? 'miniprogram-production' : 'miniprogram');
  const { count } = buildMiniprogram({ outDir, serverUrl });
  const mode = production ? `production build for ${serverUrl}` : 'development build';
  console.log(`built ${count} app files (${mode}) into ${relative(ROOT, outDir)} in ${Date.now() - started} ms`);
}
