/* global console, process, document */
// Renders one page in one state to standalone HTML: the page's own code runs (app.js, onLoad, onShow,
// onReady) against the test wx runtime talking to the preview server, and the DOM is taken once its
// requests, its realtime connection and its setData callbacks settle.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { clearPageTimers, forgetModules, installRuntime, launchApp, PREVIEW_NOW, resetClock, setCurrentPage, tick } from './app-runtime.mjs';
import { forgetBuiltins, reflectBuiltins, registerBuiltins } from './builtins.mjs';
import { forgetCanvases, installCanvasNodes, reflectCanvases } from './canvas.mjs';
import { isTabPage, tabBarHtml, windowSettings } from './chrome.mjs';
import { windowHeight } from './device.mjs';
import { compileAppWxss, getSimulate, setProjectRoot, takeRenderedCss } from './environment.mjs';
import { installPreviewWx } from './preview-wx.mjs';
import { joinAs } from './viewers.mjs';
import { ENTRY_PAGES } from './states.mjs';
import { serializePage } from './serialize.mjs';

const require = createRequire(import.meta.url);
let baseWx;

function setup(root) {
  installRuntime();
  setProjectRoot(root);
  const simulate = getSimulate();
  if (!baseWx) {
    baseWx = { ...globalThis.wx };
    registerBuiltins();
    installCanvasNodes();
  }
  return simulate;
}

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** Waits until no request is in flight and a few quiet macrotasks have passed. */
async function settle(record) {
  let quiet = 0;
  for (let round = 0; round < 400 && quiet < 5; round += 1) {
    await tick();
    quiet = record.pending === 0 ? quiet + 1 : 0;
    if (quiet === 5) {
      await tick(20); // short debounces and setData callbacks scheduled from callbacks
      if (record.pending !== 0) quiet = 0;
    }
  }
}

/** Errors the page's code throws, however they surface: sync, in exparser callbacks, or rejected promises. */
function captureErrors(record) {
  const originalError = console.error;
  const originalWarn = console.warn;
  const onRejection = (reason) => record.errors.push(`unhandled rejection: ${reason?.stack || reason}`);
  const onException = (error) => record.errors.push(`uncaught: ${error?.stack || error}`);
  console.error = (...args) => {
    const text = args.map((a) => (a?.stack ? a.stack : typeof a === 'string' ? a : safeJson(a))).join(' ');
    // exparser reports exceptions from lifetimes, observers and handlers as console.error with the Error.
    if (args.some((a) => a instanceof Error)) record.errors.push(text);
    else record.logs.push(`console.error: ${text}`);
  };
  console.warn = (...args) => record.logs.push(`console.warn: ${args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ')}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    console.error = originalError;
    console.warn = originalWarn;
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function safeJson(value) {
  try { return JSON.stringify(value); } catch { return String(value); }
}

function resetDocument() {
  document.head.replaceChildren();
  document.body.replaceChildren();
}

function runLifecycle(comp, query, record) {
  const page = comp.instance;
  for (const hook of ['onLoad', 'onShow', 'onReady']) {
    try {
      if (typeof page[hook] === 'function') page[hook](hook === 'onLoad' ? { ...query } : undefined);
    } catch (error) {
      record.errors.push(`${hook}: ${error?.stack || error}`);
    }
  }
  try {
    comp.triggerPageLifeTime('show');
  } catch (error) {
    record.errors.push(`pageLifetimes.show: ${error?.stack || error}`);
  }
}

/** Storage of a phone signed in as `login` (none: signed out) against the preview server. */
function phoneStorage(server, login) {
  const storage = { 'liveCrm.baseUrl': server.url };
  const person = login && server.people[login];
  if (person) storage['liveCrm.session'] = { token: person.token, user: person.user };
  return storage;
}

/** Online, the app's realtime client connects and catches up; the picture waits for that. */
async function realtimeSettled(root, record) {
  let realtime;
  try { ({ realtime } = require(path.join(root, 'services/realtime.js'))); } catch { return; }
  // Only a page that started the client waits for it (the login page never does).
  const catchingUp = () => realtime.status?.() === 'connecting' || (realtime.status?.() === 'online' && !realtime.isSynced?.());
  for (let i = 0; i < 150 && catchingUp(); i += 1) await tick(20);
  await settle(record);
}

const valueOf = (option, ids) => (typeof option === 'function' ? option(ids) : option);

/**
 * @param {object} options
 * @param {string} options.root compiled mini program (`.build/miniprogram`)
 * @param {string} options.pagePath e.g. `pages/pipeline/index`
 * @param {object} options.state one entry of the states table (see states.mjs)
 * @param {object} options.server the preview server (server.mjs): url, people, ids, setClock
 */
export async function renderPage({ root, pagePath, state, server }) {
  const simulate = setup(root);
  const appJson = readJson(path.join(root, 'app.json'));
  const pageJson = readJson(path.join(root, `${pagePath}.json`));
  const settings = windowSettings(appJson, pageJson);
  const viewport = { customNav: settings.navigationStyle === 'custom', tabBar: isTabPage(appJson, pagePath) };
  const query = valueOf(state.query, server.ids) || {};

  resetDocument();
  takeRenderedCss();
  forgetBuiltins();
  forgetCanvases();
  clearPageTimers();
  forgetModules(root);
  await server.setClock();
  resetClock(server.frozen ? PREVIEW_NOW : null);
  const { record, handles } = installPreviewWx({ base: baseWx, storage: phoneStorage(server, state.as === undefined ? 'ray' : state.as),
    language: state.language, ...viewport });
  if (state.offline === true) handles.setOffline(true);
  const viewers = await Promise.all((state.viewers || []).map((login) => joinAs(server, login, valueOf(state.viewing, server.ids))));
  const release = captureErrors(record);
  let comp;
  try {
    launchApp(root, { pagePath, query });
    const id = simulate.load(path.join(root, pagePath), 'main', { rootPath: root });
    comp = simulate.render(id, { ...query });
    const host = document.createElement('wx-page');
    document.body.appendChild(host);
    comp.attach(host);
    setCurrentPage(comp.instance, pagePath, query);
    runLifecycle(comp, query, record);
    if (state.settle !== false) {
      await settle(record);
      if (state.offline !== true) await realtimeSettled(root, record);
    } else {
      await tick();
    }
    if (state.offline === 'after-load') {
      handles.setOffline(true);
      await settle(record);
    }
    if (state.interact) {
      await state.interact({ page: comp.instance, component: comp, tick, ids: server.ids });
      await settle(record);
    }
  } catch (error) {
    record.errors.push(error?.stack || String(error));
  } finally {
    release();
  }
  record.failedRequests = handles.requests.filter((r) => r.errMsg || r.statusCode >= 500)
    .map((r) => `${r.method} ${r.url.replace(server.url, '')}: ${r.errMsg || r.statusCode}`);
  const done = () => { handles.uninstall(); viewers.forEach((v) => v.close()); };
  if (!comp) { done(); return { html: '', record, text: '', empty: true, missingIcons: [] }; }

  reflectBuiltins(root);
  reflectCanvases();
  const text = comp.dom.textContent.replace(/\s+/g, ' ').trim();
  const empty = !text && !comp.dom.querySelector('img, wx-image, [class*="t-icon-base"]');
  const { html, missingIcons } = serializePage({
    document, pageDom: comp.dom, appCss: compileAppWxss(root), componentCss: takeRenderedCss(), settings, record, viewport,
    windowHeight: windowHeight(viewport), tabBar: tabBarHtml(root, appJson.tabBar, pagePath, record.tabBadges, record.tabTexts),
    isFirstPage: appJson.pages?.[0] === pagePath || viewport.tabBar || ENTRY_PAGES.includes(pagePath),
  });
  comp.detach();
  done();
  clearPageTimers();
  return { html, record, text, empty, missingIcons };
}
