#!/usr/bin/env node
/* global console, process */
// Draws the tab bar icons (81 x 81 PNG, WeChat's recommended size) from tdesign-icons-svg: an
// outline icon in grey for a tab at rest, the filled one in brand blue when selected. Rendered by
// the system Chromium (playwright-core), offline. Output: miniprogram/assets/tabbar/<tab>[-active].png
//
//   node scripts/make-tab-icons.mjs            (PREVIEWS_CHROMIUM points at another Chromium)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ICONS = path.join(ROOT, 'node_modules', 'tdesign-icons-svg', 'src');
const OUT = path.join(ROOT, 'miniprogram', 'assets', 'tabbar');
const SIZE = 81;
const GREY = '#8a8f99';
const BLUE = '#0052d9';

/** Every tab of app.json's tabBar, including those other pages add later: [file, outline icon, filled icon]. */
const TABS = [
  ['pipeline', 'filter', 'filter-filled'],
  ['customers', 'user-circle', 'user-circle-filled'],
  ['tasks', 'check-rectangle', 'check-rectangle-filled'],
  ['team', 'notification', 'notification-filled'],
  ['dashboard', 'dashboard', 'dashboard-filled'],
];

function svg(name, color) {
  const text = fs.readFileSync(path.join(ICONS, `${name}.svg`), 'utf8');
  return text
    .replace(/view-box=/g, 'viewBox=') // the package writes it in kebab case, which SVG ignores
    .replace(/width="1em" height="1em"/, `width="${SIZE}" height="${SIZE}"`)
    .replace(/currentColor/g, color)
    .replace(/fill="transparent"/g, 'fill="none"');
}

async function main() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PREVIEWS_CHROMIUM || '/usr/bin/chromium';
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-icons-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: SIZE, height: SIZE },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await context.newPage();
    fs.mkdirSync(OUT, { recursive: true });
    for (const [file, outline, filled] of TABS) {
      for (const [suffix, name, color] of [
        ['', outline, GREY],
        ['-active', filled, BLUE],
      ]) {
        const html = `<html><body style="margin:0;background:transparent">${svg(name, color)}</body></html>`;
        await page.setContent(html);
        const target = path.join(OUT, `${file}${suffix}.png`);
        await page.locator('svg').screenshot({ path: target, omitBackground: true });
        console.log(`wrote ${path.relative(ROOT, target)}`);
      }
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
