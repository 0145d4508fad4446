// miniprogram-simulate registers WeChat's built-in tags as empty shells, so `<image src>` or
// `<input placeholder>` lose what they show. These re-registrations keep those properties, and
// `reflectBuiltins` writes them into the DOM (attributes, an <img>, placeholder text) before serializing.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const live = new Set();

const any = (value = null) => ({ type: null, value });

const BUILTINS = {
  image: { src: any(''), mode: any('scaleToFill') },
  input: { value: any(''), placeholder: any(''), placeholderClass: any(''), placeholderStyle: any(''), password: any(false), disabled: any(false), type: any('text') },
  textarea: { value: any(''), placeholder: any(''), placeholderClass: any(''), placeholderStyle: any(''), disabled: any(false), autoHeight: any(false) },
  button: { type: any('default'), size: any('default'), plain: any(false), disabled: any(false), loading: any(false) },
  switch: { checked: any(false), disabled: any(false), color: any('#04BE02') },
  checkbox: { checked: any(false), disabled: any(false), color: any('#09BB07') },
  radio: { checked: any(false), disabled: any(false), color: any('#09BB07') },
  progress: { percent: any(0), strokeWidth: any(6), activeColor: any('#09BB07'), backgroundColor: any('#EBEBEB'), showInfo: any(false) },
  icon: { type: any(''), size: any(23), color: any('') },
  'rich-text': { nodes: any('') },
  'scroll-view': { scrollX: any(false), scrollY: any(false) },
  text: { userSelect: any(false), space: any(''), decode: any(false) },
};

export function registerBuiltins() {
  const jComponent = require('j-component');
  for (const [name, properties] of Object.entries(BUILTINS)) {
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      properties,
      lifetimes: {
        attached() { live.add(this); },
        detached() { live.delete(this); },
      },
    });
  }
}

const IMAGE_FIT = { scaleToFill: 'fill', aspectFit: 'contain', aspectFill: 'cover', widthFix: 'cover', heightFix: 'cover' };
const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.webp': 'image/webp' };

/** Local images become data URLs; remote ones cannot load offline, so they stay an empty placeholder. */
function imageUrl(src, root) {
  if (!src || /^(https?:)?\/\//.test(src)) return null;
  if (src.startsWith('data:')) return src;
  const file = path.join(root, src.replace(/^\//, ''));
  if (!fs.existsSync(file)) return null;
  const mime = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
  return `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`;
}

function setFlag(dom, name, on) {
  if (on) dom.setAttribute(name, '');
  else dom.removeAttribute(name);
}

const REFLECT = {
  image(dom, data, root) {
    dom.setAttribute('mode', data.mode || 'scaleToFill');
    const url = imageUrl(data.src, root);
    dom.querySelectorAll(':scope > img').forEach((img) => img.remove());
    if (!url) return dom.setAttribute('data-missing', data.src ? 'remote' : 'empty');
    const img = dom.ownerDocument.createElement('img');
    img.src = url;
    img.style.objectFit = IMAGE_FIT[data.mode] || 'fill';
    dom.appendChild(img);
  },
  input(dom, data) {
    const value = data.password && data.value ? '•'.repeat(String(data.value).length) : data.value;
    showFieldText(dom, value, data);
    setFlag(dom, 'disabled', data.disabled);
  },
  textarea(dom, data) {
    showFieldText(dom, data.value, data);
    setFlag(dom, 'disabled', data.disabled);
    setFlag(dom, 'auto-height', data.autoHeight);
  },
  button(dom, data) {
    dom.setAttribute('type', data.type || 'default');
    dom.setAttribute('size', data.size || 'default');
    setFlag(dom, 'plain', data.plain);
    setFlag(dom, 'disabled', data.disabled);
    setFlag(dom, 'loading', data.loading);
  },
  switch(dom, data) { setFlag(dom, 'checked', data.checked); dom.style.setProperty('--wx-checked-color', data.color); },
  checkbox(dom, data) { setFlag(dom, 'checked', data.checked); dom.style.setProperty('--wx-checked-color', data.color); },
  radio(dom, data) { setFlag(dom, 'checked', data.checked); dom.style.setProperty('--wx-checked-color', data.color); },
  progress(dom, data) {
    dom.replaceChildren();
    const bar = dom.ownerDocument.createElement('wx-progress-bar');
    bar.style.cssText = `height:${parseFloat(data.strokeWidth) || 6}px;background:${data.backgroundColor}`;
    const fill = dom.ownerDocument.createElement('wx-progress-inner');
    fill.style.cssText = `width:${Math.max(0, Math.min(100, Number(data.percent) || 0))}%;background:${data.activeColor}`;
    bar.appendChild(fill);
    dom.appendChild(bar);
  },
  icon(dom, data) {
    dom.setAttribute('type', data.type);
    dom.style.setProperty('--wx-icon-size', `${parseFloat(data.size) || 23}px`);
    if (data.color) dom.style.setProperty('--wx-icon-color', data.color);
  },
  'rich-text'(dom, data) {
    if (typeof data.nodes === 'string') dom.innerHTML = data.nodes;
  },
  'scroll-view'(dom, data) { setFlag(dom, 'scroll-x', data.scrollX); setFlag(dom, 'scroll-y', data.scrollY); },
  text(dom, data) { if (data.space) dom.setAttribute('space', data.space); },
};

/** Classes in a component's template carry its prefix (`t-input--`); a placeholder-class must get it too. */
function ownerPrefix(dom) {
  const prefixed = [...dom.classList].find((name) => name.includes('--'));
  return prefixed ? prefixed.slice(0, prefixed.indexOf('--') + 2) : '';
}

/** Native inputs draw their value, or the placeholder in grey (WeChat's `.input-placeholder`). */
function showFieldText(dom, value, { placeholder, placeholderClass, placeholderStyle }) {
  dom.querySelectorAll(':scope > wx-field-text').forEach((el) => el.remove());
  const text = value === undefined || value === null ? '' : String(value);
  const span = dom.ownerDocument.createElement('wx-field-text');
  span.textContent = text || placeholder || '';
  if (!text) {
    span.setAttribute('placeholder', '');
    const prefix = ownerPrefix(dom);
    span.className = String(placeholderClass || '').split(/\s+/).filter(Boolean).map((name) => prefix + name).join(' ');
    if (placeholderStyle) span.setAttribute('style', placeholderStyle);
  }
  dom.insertBefore(span, dom.firstChild);
}

/** Writes the live built-ins' data into their DOM nodes. */
export function reflectBuiltins(root) {
  for (const node of live) {
    const dom = node._exparserNode?.$$;
    const tag = dom?.tagName?.toLowerCase().replace(/^wx-/, '');
    if (dom && REFLECT[tag]) REFLECT[tag](dom, node.data || {}, root);
  }
}

export function forgetBuiltins() {
  live.clear();
}
