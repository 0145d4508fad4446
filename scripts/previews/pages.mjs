// Renders every page listed in app.json in each of its states and judges the result, for both the
// `npm run previews` command and the vitest check.
import fs from 'node:fs';
import path from 'node:path';
import { renderPage } from './render-page.mjs';
import { startPreviewServer } from './server.mjs';
import { previewName, statesFor } from './states.mjs';

/** Main package and subpackage pages, in app.json order. */
export function appPages(root) {
  const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
  const subPackages = appJson.subPackages || appJson.subpackages || [];
  return [
    ...(appJson.pages || []),
    ...subPackages.flatMap((pkg) => (pkg.pages || []).map((page) => `${pkg.root.replace(/\/$/, '')}/${page}`)),
  ];
}

const LEAVES_PAGE = ['redirectTo', 'reLaunch', 'switchTab', 'navigateBack'];

/** Failures make the test and the command fail; warnings are printed. */
function judge(pagePath, state, declared, result) {
  const failures = [];
  const warnings = [];
  if (!declared) {
    failures.push(`${pagePath} has no preview states: add an entry for it to PAGE_STATES in scripts/previews/states.mjs `
      + '(at least its normal, empty and offline states)');
  }
  failures.push(...result.record.errors.map((e) => `threw: ${e.split('\n').slice(0, 4).join('\n    ')}`));
  if (result.empty) failures.push('rendered nothing: no text and no image in the page');
  for (const nav of result.record.navigations.filter((n) => LEAVES_PAGE.includes(n.kind))) {
    if (!state.leaves) failures.push(`left the page while loading (wx.${nav.kind} ${nav.url ?? ''})`);
  }
  // Offline, requests fail by design; online, a failed request or a 5xx is a broken picture.
  if (!state.offline) failures.push(...result.record.failedRequests.map((r) => `request failed: ${r}`));
  if (result.missingIcons.length) warnings.push(`icons not in tdesign-icons-svg (drawn as a dashed box): ${result.missingIcons.join(', ')}`);
  warnings.push(...result.record.logs.slice(0, 5));
  return { failures, warnings };
}

function notBuilt(root, pagePath) {
  return !fs.existsSync(path.join(root, `${pagePath}.json`)) || !fs.existsSync(path.join(root, `${pagePath}.js`));
}

/**
 * Renders the pages of the compiled app at `root`: all, those named exactly in `pages`, or those whose
 * path contains one of `only`. Yields one result per state: { pagePath, state, name, html, text,
 * failures, warnings }. `server`: a preview server to draw from (startPreviewServer); without one,
 * a server is started on `databaseUrl` (default: embedded, frozen clock) and stopped at the end.
 */
export async function* renderPages(root, { only = [], pages: exact = [], server, databaseUrl } = {}) {
  const pages = appPages(root).filter((p) => (!exact.length || exact.includes(p)) && (!only.length || only.some((o) => p.includes(o))));
  const own = server ? null : await startPreviewServer({ databaseUrl });
  try {
    yield* renderEach(root, pages, server ?? own);
  } finally {
    await own?.stop();
  }
}

async function* renderEach(root, pages, server) {
  for (const pagePath of pages) {
    const { declared, states } = statesFor(pagePath);
    if (notBuilt(root, pagePath)) {
      yield { pagePath, state: states[0], name: previewName(pagePath, states[0]), html: '', text: '',
        failures: [`${pagePath} is listed in app.json but was not built (no ${pagePath}.js/.json under ${root})`], warnings: [] };
      continue;
    }
    for (const state of states) {
      const result = await renderPage({ root, pagePath, state, server });
      yield { pagePath, state, name: previewName(pagePath, state), html: result.html, text: result.text,
        ...judge(pagePath, state, declared, result) };
    }
  }
}
