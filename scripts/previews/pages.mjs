// Renders every page listed in app.json in each of its states and judges the result, for both the
// `npm run previews` command and the vitest check.
import fs from 'node:fs';
import path from 'node:path';
import { renderPage } from './render-page.mjs';
import { DEFAULT_ROUTES } from './routes.mjs';
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
      + '(at least its normal, empty and error states) and any fixtures it needs to scripts/previews/fixtures/');
  }
  failures.push(...result.record.errors.map((e) => `threw: ${e.split('\n').slice(0, 4).join('\n    ')}`));
  if (result.empty) failures.push('rendered nothing: no text and no image in the page');
  for (const nav of result.record.navigations.filter((n) => LEAVES_PAGE.includes(n.kind))) {
    if (!state.leaves) failures.push(`left the page while loading (wx.${nav.kind} ${nav.url ?? ''}): its fixtures do not satisfy it`);
  }
  for (const req of result.record.requests.filter((r) => !r.route)) {
    failures.push(`requested ${req.method} ${req.path}, which has no fixture: add it to scripts/previews/routes.mjs`);
  }
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
 * failures, warnings }.
 */
export async function* renderPages(root, { only = [], pages: exact = [] } = {}) {
  const pages = appPages(root).filter((p) => (!exact.length || exact.includes(p)) && (!only.length || only.some((o) => p.includes(o))));
  for (const pagePath of pages) {
    const { declared, states } = statesFor(pagePath);
    if (notBuilt(root, pagePath)) {
      yield { pagePath, state: states[0], name: previewName(pagePath, states[0]), html: '', text: '',
        failures: [`${pagePath} is listed in app.json but was not built (no ${pagePath}.js/.json under ${root})`], warnings: [] };
      continue;
    }
    for (const state of states) {
      const result = await renderPage({ root, pagePath, state, routes: DEFAULT_ROUTES });
      yield { pagePath, state, name: previewName(pagePath, state), html: result.html, text: result.text,
        ...judge(pagePath, state, declared, result) };
    }
  }
}
