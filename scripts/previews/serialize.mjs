// Turns the rendered page into one standalone HTML file: WeChat's base styles, app.wxss, the page's and
// components' compiled wxss, redrawn icons, the navigation/tab bar, and any native overlay left open.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROME_CSS, navBarHtml, overlayHtml, tabBarHtml } from './chrome.mjs';
import { SAFE_AREA_BOTTOM, STATUS_BAR_HEIGHT } from './device.mjs';
import { iconStyles } from './icons.mjs';

const BASE_CSS = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'base.css'), 'utf8');

/**
 * `vh` and `env(safe-area-inset-*)` mean the WeChat window, not the tall browser page the screenshot
 * is taken of, so they are pinned to the phone's numbers.
 */
export function pinViewportUnits(css, { customNav, tabBar }) {
  const top = customNav ? STATUS_BAR_HEIGHT : 0;
  const bottom = tabBar ? 0 : SAFE_AREA_BOTTOM;
  return String(css)
    .replace(/(?:env|constant)\(\s*safe-area-inset-top\s*(?:,[^)]*)?\)/g, `${top}px`)
    .replace(/(?:env|constant)\(\s*safe-area-inset-bottom\s*(?:,[^)]*)?\)/g, `${bottom}px`)
    .replace(/(?:env|constant)\(\s*safe-area-inset-(?:left|right)\s*(?:,[^)]*)?\)/g, '0px')
    .replace(/(-?\d*\.?\d+)vh\b/g, (_, n) => `calc(${n} * var(--wx-vh))`);
}

function pinInlineStyles(element, viewport) {
  for (const node of element.querySelectorAll('[style]')) {
    node.setAttribute('style', pinViewportUnits(node.getAttribute('style'), viewport));
  }
}

function style(css) {
  return `<style>\n${css}\n</style>`;
}

/** Writes the HTML for one state; returns it with the icon names that could not be drawn. */
export function serializePage({ document, pageDom, appCss, componentCss, settings, record, windowHeight, viewport, tabBar, isFirstPage }) {
  const icons = iconStyles(document);
  pinInlineStyles(pageDom, viewport);
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=375,initial-scale=1">
${style(BASE_CSS)}
${style(CHROME_CSS)}
${style(`:root{--wx-vh:${windowHeight / 100}px;--wx-window-height:${windowHeight}px}`)}
${style(pinViewportUnits(appCss, viewport))}
${style(pinViewportUnits(componentCss, viewport))}
${style(icons.css)}
</head><body>
${navBarHtml(settings, { title: record.title, navColor: record.navColor, isFirstPage })}
<wx-page>${pageDom.outerHTML}</wx-page>
${tabBar}
${overlayHtml(record.overlay)}
</body></html>
`;
  return { html, missingIcons: icons.missing };
}

export { tabBarHtml };
