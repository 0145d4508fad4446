/* global process */
// What WeChat gives every page besides `wx`: App()/getApp()/getCurrentPages(), plus a frozen clock and
// tracked timers so each state renders the same picture every run and leaves nothing running behind it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { installClock, PREVIEW_NOW } from './clock.mjs';

const require = createRequire(import.meta.url);
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;
const realClearInterval = globalThis.clearInterval;
const liveTimers = new Set();
let clock;

export { PREVIEW_NOW };

/** Moves the pages' clock to `iso` (default PREVIEW_NOW), or to the real time with `null`. */
export function resetClock(iso = PREVIEW_NOW) {
  if (!clock) clock = installClock(iso ?? undefined);
  clock.reset(iso ?? new Date(clock.realNow()).toISOString());
}

let appRoot = null;

/**
 * Timers the app's own code (its pages, services and miniprogram_npm) starts. Those of the runtime
 * underneath (fetch's connection pool, WebSockets) keep running: clearing them would leave, say,
 * a kept-alive connection that the server has already closed in the pool.
 */
const startedByApp = () => appRoot !== null && (new Error().stack ?? '').includes(appRoot);

function trackTimers() {
  globalThis.setTimeout = (fn, ms, ...args) => {
    const handle = realSetTimeout(() => {
      liveTimers.delete(handle);
      if (typeof fn === 'function') fn(...args);
    }, ms);
    if (startedByApp()) liveTimers.add(handle);
    return handle;
  };
  globalThis.setInterval = (fn, ms, ...args) => {
    const handle = realSetInterval(fn, ms, ...args);
    if (startedByApp()) liveTimers.add(handle);
    return handle;
  };
  globalThis.clearTimeout = (handle) => { liveTimers.delete(handle); realClearTimeout(handle); };
  globalThis.clearInterval = (handle) => { liveTimers.delete(handle); realClearInterval(handle); };
}

/** Stops whatever a state's code left scheduled (reconnect loops, relative-time tickers). */
export function clearPageTimers() {
  for (const handle of liveTimers) {
    realClearTimeout(handle);
    realClearInterval(handle);
  }
  liveTimers.clear();
}

/** A macrotask on the real timer, so waiting never counts as page work. */
export function tick(ms = 0) {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

let installed = false;
let app = { globalData: {} };
let pages = [];

export function installRuntime() {
  if (installed) return;
  installed = true;
  process.env.TZ = 'Asia/Shanghai';
  resetClock();
  trackTimers();
  globalThis.App = (options) => { app = options; };
  globalThis.getApp = () => app;
  globalThis.getCurrentPages = () => pages;
  globalThis.Page = () => {
    throw new Error('this page calls Page(); previews (like miniprogram-simulate) render Component()-based pages only');
  };
}

/**
 * Forgets the app's own modules so services and stores start fresh for each state. miniprogram_npm
 * stays loaded: TDesign keeps no state between pages, and compiling it again costs a second per state.
 */
export function forgetModules(root) {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const npm = path.join(root, 'miniprogram_npm') + path.sep;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(prefix) && !key.startsWith(npm)) delete require.cache[key];
  }
}

/** Runs app.js the way WeChat does before the first page: App() then onLaunch and onShow. */
export function launchApp(root, { pagePath, query }) {
  appRoot = root;
  app = { globalData: {} };
  pages = [{ route: pagePath, options: query, data: {}, setData() {}, selectComponent: () => null }];
  const appJs = path.join(root, 'app.js');
  if (!fs.existsSync(appJs)) return app;
  require(appJs);
  const launch = { path: pagePath, query, scene: 1001, referrerInfo: {} };
  app.onLaunch?.call(app, launch);
  app.onShow?.call(app, launch);
  return app;
}

export function setCurrentPage(instance, pagePath, query) {
  if (!('route' in instance)) instance.route = pagePath;
  if (!('options' in instance)) instance.options = query;
  pages = [instance];
}
