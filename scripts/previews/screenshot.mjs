/* global document */
// Screenshots standalone HTML files with the system Chromium through playwright-core: offline (every
// http(s) request aborted), a throwaway profile, at the phone's size and a device scale of 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCREEN } from './device.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function openBrowser(executablePath) {
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'previews-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: SCREEN.width, height: SCREEN.height },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    colorScheme: 'light',
    serviceWorkers: 'block',
  });
  await context.route(/^https?:/, (route) => route.abort());
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Full-page PNG of one HTML file (at least one screen tall). */
export async function screenshot(browser, htmlFile, pngFile) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: pngFile, fullPage: true, animations: 'disabled', caret: 'hide' });
  } finally {
    await page.close();
  }
}
