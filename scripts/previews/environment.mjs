// Sets up the DOM that miniprogram-simulate expects (it is written for jest's jsdom environment) and
// corrects its rendering shortcuts, so the same code runs from a plain node script and from vitest.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);

/** Phone width in CSS px: WeChat defines 750rpx as the screen width. */
export const SCREEN_WIDTH = 375;
const RPX_TO_PX = SCREEN_WIDTH / 750;

let simulate;
const pageCss = new Map();

/** The compiled wxss of everything rendered since the last call, and forget it. */
export function takeRenderedCss() {
  const css = [...pageCss.values()].join('\n');
  pageCss.clear();
  return css;
}
let projectRoot = '';

/** The compiled mini program root: bare npm component paths resolve against its miniprogram_npm. */
export function setProjectRoot(root) {
  projectRoot = root;
}

/** WeChat's rpx is 0.5 px at 375 px wide; miniprogram-simulate maps 1rpx to 1px. */
export function rpxToPx(css) {
  return String(css).replace(/(-?\d*\.?\d+)rpx/gi, (_, n) => `${roundPx(Number(n) * RPX_TO_PX)}px`);
}

function roundPx(value) {
  return Math.round(value * 1000) / 1000;
}

function installGlobals(window) {
  // miniprogram-simulate, j-component and exparser read these as bare globals.
  for (const key of Object.getOwnPropertyNames(window)) {
    if (key in globalThis) continue;
    try {
      globalThis[key] = window[key];
    } catch {
      // read-only or throwing getters are of no use to the renderer
    }
  }
  globalThis.window = window;
  globalThis.document = window.document;
  globalThis.navigator ??= window.navigator;
}

/** WeChat's `page` element is the page root; the preview's root element is `wx-page`. */
function pageToRoot(css) {
  const postcss = require('postcss');
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test(rule.parent.name)) return;
    rule.selectors = rule.selectors.map((selector) => selector.replace(/(^|[\s>+~(,])page(?![\w-])/g, '$1wx-page'));
  });
  return root.toString();
}

/** `:host` means the component's tag once the shadow tree is flattened into one light DOM. */
function hostToTag(css, tagName) {
  return css.replace(/:host\(([^)]*)\)/g, `${tagName}$1`).replace(/:host\b/g, tagName);
}

/** WeChat resolves `tdesign-miniprogram/cell/cell` through miniprogram_npm; simulate only knows relative and absolute paths. */
function resolveNpmComponent(value) {
  if (!projectRoot || value.startsWith('.') || value.startsWith('/') || value.startsWith('plugin:')) return value;
  for (const candidate of [value, `${value}/index`]) {
    if (fs.existsSync(path.join(projectRoot, 'miniprogram_npm', `${candidate}.json`))) return `/miniprogram_npm/${candidate}`;
  }
  return value;
}

function withNpmComponents(json) {
  const using = json?.usingComponents;
  if (using) for (const key of Object.keys(using)) using[key] = resolveNpmComponent(using[key]);
  return json;
}

/**
 * TDesign components are virtual hosts that list `class` among their external classes, so the owner's
 * `class="summary__live"` lands on the component's root view. j-component sets it on the (absent) host.
 */
function forwardClassOfVirtualHosts() {
  const exparser = require('miniprogram-exparser');
  let proto = exparser.Component.prototype;
  while (proto && !Object.getOwnPropertyDescriptor(proto, 'class')) proto = Object.getPrototypeOf(proto);
  const descriptor = proto && Object.getOwnPropertyDescriptor(proto, 'class');
  if (!descriptor?.set) return;
  Object.defineProperty(proto, 'class', {
    ...descriptor,
    set(value) {
      descriptor.set.call(this, value);
      if (this instanceof exparser.Component && !this.$$ && this.hasExternalClass?.('class')) {
        this.setExternalClass('class', value);
      }
    },
  });
}

function patchSimulate() {
  forwardClassOfVirtualHosts();
  const simulateUtils = require('miniprogram-simulate/src/utils');
  const componentUtils = require('j-component/src/tool/utils');
  const readJson = simulateUtils.readJson;
  simulateUtils.readJson = (file) => withNpmComponents(readJson(file));
  simulateUtils.transformRpx = rpxToPx;
  componentUtils.transformRpx = rpxToPx;
  const wxss = require('miniprogram-simulate/src/wxss');
  const compile = wxss.compile;
  const compiled = new Map();
  // Every state loads the page again; its wxss (and TDesign's) only needs compiling once.
  wxss.compile = (source, options = {}) => {
    const prefix = options.prefix || 'main';
    const key = `${prefix}\0${source ?? ''}`;
    if (!compiled.has(key)) compiled.set(key, compile(hostToTag(pageToRoot(source ?? ''), prefix), options));
    return compiled.get(key);
  };
  // Kept as text rather than a <style> in jsdom: nothing here needs jsdom's cascade, and parsing it is slow.
  wxss.insert = (css, id) => {
    pageCss.set(id, rpxToPx((Array.isArray(css) ? css : [css]).join('')));
  };
}

/** app.wxss, compiled like the page's own wxss so its classes reach the page's (prefixed) elements. */
export function compileAppWxss(root) {
  const file = path.join(root, 'app.wxss');
  if (!fs.existsSync(file)) return '';
  const wxss = require('miniprogram-simulate/src/wxss');
  return rpxToPx(wxss.compile(wxss.getContent(file), { prefix: 'main' }));
}

/** Creates the DOM once per process and loads miniprogram-simulate into it. */
export function getSimulate() {
  if (simulate) return simulate;
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    pretendToBeVisual: true,
    url: 'https://servicewechat.com/preview/',
  });
  installGlobals(dom.window);
  patchSimulate();
  simulate = require('miniprogram-simulate');
  return simulate;
}
