#!/usr/bin/env node
/* global process, console, performance */
// npm run previews [-- <page filter>...] [--html-only] [--no-build] [--no-install]
// Renders every page in miniprogram/app.json, in every state listed in scripts/previews/states.mjs,
// to previews/<page>[--<state>].png plus previews/index.html. See scripts/previews/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { galleryHtml } from './previews/gallery.mjs';
import { renderPages } from './previews/pages.mjs';
import { ensureSystemDeps } from './previews/system-deps.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A build of our own: tests rebuild .build/miniprogram whenever sources change, which would pull the
// files out from under a run that is still rendering.
const BUILD = path.join(ROOT, '.build', 'previews', 'miniprogram');
const OUT = path.join(ROOT, 'previews');
const HTML_DIR = path.join(OUT, 'tmp');

function parseArgs(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  return {
    only: argv.filter((a) => !a.startsWith('--')),
    htmlOnly: flags.has('--html-only'),
    build: !flags.has('--no-build'),
    install: !flags.has('--no-install'),
  };
}

async function buildMiniprogram() {
  const { buildMiniprogram: build } = await import('./build-miniprogram.mjs');
  const { count } = build({ outDir: BUILD });
  console.log(`built ${count} app files into ${path.relative(ROOT, BUILD)}`);
}

async function renderAll(only) {
  fs.rmSync(HTML_DIR, { recursive: true, force: true });
  fs.mkdirSync(HTML_DIR, { recursive: true });
  const shots = [];
  for await (const shot of renderPages(BUILD, { only })) {
    if (shot.html) fs.writeFileSync(path.join(HTML_DIR, `${shot.name}.html`), shot.html);
    shots.push(shot);
    console.log(`${shot.failures.length ? '✗' : '✓'} ${shot.name}`);
    for (const f of shot.failures) console.log(`    ${f}`);
    for (const w of shot.warnings) console.log(`    (warning) ${w}`);
  }
  return shots;
}

async function screenshotAll(shots, chromium) {
  const { openBrowser, screenshot } = await import('./previews/screenshot.mjs');
  const browser = await openBrowser(chromium);
  try {
    for (const shot of shots.filter((s) => s.html)) {
      await screenshot(browser, path.join(HTML_DIR, `${shot.name}.html`), path.join(OUT, `${shot.name}.png`));
    }
  } finally {
    await browser.close();
  }
}

/** After a full run, pictures of pages or states that no longer exist go away. */
function removeStale(shots) {
  const keep = new Set(shots.map((s) => `${s.name}.png`));
  for (const file of fs.readdirSync(OUT)) {
    if (file.endsWith('.png') && !keep.has(file)) fs.rmSync(path.join(OUT, file));
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const chromium = args.htmlOnly ? null : ensureSystemDeps({ install: args.install });
  if (args.build) await buildMiniprogram();
  fs.mkdirSync(OUT, { recursive: true });
  const shots = await renderAll(args.only);
  if (!args.htmlOnly) {
    await screenshotAll(shots, chromium);
    if (!args.only.length) removeStale(shots);
    fs.writeFileSync(path.join(OUT, 'index.html'), galleryHtml(shots));
  }
  const failed = shots.filter((s) => s.failures.length);
  console.log(
    `\n${shots.length - failed.length} of ${shots.length} previews rendered cleanly in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (args.htmlOnly ? ` (HTML in ${path.relative(ROOT, HTML_DIR)})` : `: ${path.relative(ROOT, OUT)}/index.html`),
  );
  if (failed.length) {
    console.log(`${failed.length} with problems: ${failed.map((s) => s.name).join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (error) => {
    console.error(`previews: ${error.message}`);
    process.exit(1);
  },
);
