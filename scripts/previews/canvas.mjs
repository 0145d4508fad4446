// `<canvas type="2d">` for previews: jsdom has no canvas, so a page asking for the node
// (`createSelectorQuery().select(...).fields({ node: true, size: true })`) gets a recording one,
// sized from the element's CSS, and `reflectCanvases` redraws what was recorded as inline SVG.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** miniprogram-simulate maps 1rpx to 1px: the phone is 750 units wide until serialization halves it. */
const SCREEN_UNITS = 750;
const UNITS_PER_PX = 2;
const canvases = new Map();

/** Width of `el`'s content box in simulate units, from declared styles (jsdom does no layout). */
function contentWidth(el) {
  if (!el || !el.parentElement || el.tagName === 'BODY') return SCREEN_UNITS;
  const cs = el.ownerDocument.defaultView.getComputedStyle(el);
  const px = (v) => parseFloat(v) || 0;
  const inner = px(cs.paddingLeft) + px(cs.paddingRight) + px(cs.borderLeftWidth) + px(cs.borderRightWidth);
  return outerWidth(el, cs) - inner;
}

function outerWidth(el, cs) {
  const parent = contentWidth(el.parentElement);
  if (/px$/.test(cs.width)) return parseFloat(cs.width);
  if (/%$/.test(cs.width)) return (parent * parseFloat(cs.width)) / 100;
  return parent - (parseFloat(cs.marginLeft) || 0) - (parseFloat(cs.marginRight) || 0);
}

/** CSS px size of a canvas element, as WeChat's `fields({ size: true })` would answer it. */
function cssSize(dom) {
  const cs = dom.ownerDocument.defaultView.getComputedStyle(dom);
  const width = outerWidth(dom, cs) / UNITS_PER_PX;
  const height = /px$/.test(cs.height) ? parseFloat(cs.height) / UNITS_PER_PX : 150;
  return { width: Math.round(width * 100) / 100, height };
}

const STATE_KEYS = ['fillStyle', 'strokeStyle', 'lineWidth', 'font', 'textAlign', 'textBaseline'];

/** A canvas node whose 2d context records calls (with the drawing state at each call). */
function recordingCanvas() {
  const canvas = { width: 300, height: 150, ops: [], sx: 1, sy: 1 };
  const ctx = { fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic' };
  const record = (op) => (...args) => {
    const state = Object.fromEntries(STATE_KEYS.map((k) => [k, ctx[k]]));
    canvas.ops.push({ op, args, state, sx: canvas.sx, sy: canvas.sy });
  };
  for (const op of ['clearRect', 'fillRect', 'beginPath', 'moveTo', 'lineTo', 'stroke', 'fillText', 'closePath', 'fill']) ctx[op] = record(op);
  ctx.scale = (x, y) => { canvas.sx *= x; canvas.sy *= y; };
  ctx.measureText = (text) => ({ width: String(text).length * (parseFloat(ctx.font) || 10) * 0.6 });
  canvas.getContext = () => ctx;
  return canvas;
}

function withCanvas(result, item) {
  if (!item?.fields?.node || !result || Array.isArray(result)) return result;
  const found = item.exparserNode?.shadowRoot?.querySelector(item.selector);
  const dom = found?.$$;
  if (!dom || dom.tagName !== 'WX-CANVAS') return result;
  if (!canvases.has(dom)) canvases.set(dom, recordingCanvas());
  return { ...result, node: canvases.get(dom), ...(item.fields.size ? cssSize(dom) : {}) };
}

/** Once per process: j-component's SelectorQuery answers canvas nodes. */
export function installCanvasNodes() {
  const SelectorQuery = require('j-component/src/tool/selectorquery.js');
  if (SelectorQuery.prototype.__previewCanvas) return;
  const original = SelectorQuery.prototype.exec;
  SelectorQuery.prototype.exec = function exec(callback) {
    const queue = [...this._queue];
    this._queueCallback = this._queueCallback.map((cb, i) => cb && ((res) => cb.call(this, withCanvas(res, queue[i]))));
    return original.call(this, callback && ((res) => callback.call(this, res.map((r, i) => withCanvas(r, queue[i])))));
  };
  SelectorQuery.prototype.__previewCanvas = true;
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const ANCHOR = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const BASELINE = { top: 'hanging', middle: 'central', bottom: 'text-after-edge', alphabetic: 'alphabetic' };

/** The recorded calls as SVG elements in device pixels (the canvas' own width/height). */
function toSvg(canvas) {
  let parts = [];
  let path = '';
  for (const { op, args, state, sx, sy } of canvas.ops) {
    const [x, y, w, h] = args;
    if (op === 'clearRect') parts = [];
    else if (op === 'fillRect') parts.push(`<rect x="${x * sx}" y="${y * sy}" width="${w * sx}" height="${h * sy}" fill="${esc(state.fillStyle)}"/>`);
    else if (op === 'beginPath') path = '';
    else if (op === 'moveTo' || op === 'lineTo') path += `${op === 'moveTo' ? 'M' : 'L'}${args[0] * sx} ${args[1] * sy}`;
    else if (op === 'stroke') parts.push(`<path d="${path}" fill="none" stroke="${esc(state.strokeStyle)}" stroke-width="${state.lineWidth * sx}"/>`);
    else if (op === 'fillText') {
      const [text, tx, ty] = args;
      const size = (parseFloat(state.font) || 10) * sy;
      parts.push(`<text x="${tx * sx}" y="${ty * sy}" font-size="${size}" font-family="sans-serif" fill="${esc(state.fillStyle)}"`
        + ` text-anchor="${ANCHOR[state.textAlign] || 'start'}" dominant-baseline="${BASELINE[state.textBaseline] || 'alphabetic'}">${esc(text)}</text>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${canvas.width} ${canvas.height}" preserveAspectRatio="none" style="display:block;width:100%;height:100%">${parts.join('')}</svg>`;
}

/** Puts each drawn canvas' picture into its element, before the DOM is serialized. */
export function reflectCanvases() {
  for (const [dom, canvas] of canvases) {
    if (dom.isConnected && canvas.ops.length) dom.innerHTML = toSvg(canvas);
  }
}

export function forgetCanvases() {
  canvases.clear();
}
