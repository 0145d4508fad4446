/* global Buffer */
// TDesign draws icons with a web font fetched from a CDN, which an offline render never gets. Each icon
// actually used on the page is redrawn from the `tdesign-icons-svg` package as a CSS mask in currentColor,
// so size and colour still come from TDesign's own styles.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SVG_DIR = path.join(path.dirname(require.resolve('tdesign-icons-svg/package.json')), 'src');
const ICON_CLASS = /^(.*)t-icon-([a-z0-9][a-z0-9-]*)$/i;
const cache = new Map();

function svgDataUrl(name) {
  if (cache.has(name)) return cache.get(name);
  const file = path.join(SVG_DIR, `${name}.svg`);
  let url = null;
  if (fs.existsSync(file)) {
    const svg = fs.readFileSync(file, 'utf8')
      .replace(/view-box=/g, 'viewBox=') // the package writes the attribute in kebab case, which SVG ignores
      .replace(/\s(width|height)="1em"/g, '')
      .replace(/\sclass="[^"]*"/, '');
    url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  }
  cache.set(name, url);
  return url;
}

/** Finds `<label class="t-icon--t-icon-search t-icon--t-icon-base">` and returns class -> icon name. */
function usedIcons(document) {
  const used = new Map();
  for (const label of document.querySelectorAll('[class*="t-icon-base"]')) {
    for (const name of label.classList) {
      const match = ICON_CLASS.exec(name);
      if (match && match[2] !== 'base') used.set(name, match[2]);
    }
  }
  return used;
}

function cssEscape(name) {
  return name.replace(/[^\w-]/g, (c) => `\\${c}`);
}

const MISSING_ICON = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="3" y="3" width="18" height="18" rx="3" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="3 2"/></svg>',
).toString('base64')}`;

/** CSS that replaces each used glyph; `missing` lists names the SVG package does not have. */
export function iconStyles(document) {
  const rules = [];
  const missing = new Set();
  for (const [className, name] of usedIcons(document)) {
    let url = svgDataUrl(name);
    if (!url) {
      missing.add(name);
      url = MISSING_ICON;
    }
    rules.push(`.${cssEscape(className)}::before{content:""!important;display:block;width:1em;height:1em;background-color:currentColor;`
      + `-webkit-mask:url("${url}") center/100% 100% no-repeat;mask:url("${url}") center/100% 100% no-repeat;}`);
  }
  return { css: rules.join('\n'), missing: [...missing] };
}
