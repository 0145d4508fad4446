import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { installWx } from '../../../test-support/wx/index';

const require = createRequire(import.meta.url);

/**
 * TDesign's transition schedules a 30 ms step it never clears, so a popup closed as a file ends
 * would render after jsdom is gone. Every file that opens a page waits that step out.
 */
const TRANSITION_TAIL_MS = 100;
let lastClosedAt = 0;
afterAll(async () => {
  const wait = lastClosedAt + TRANSITION_TAIL_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
});

/** The bits of miniprogram-simulate's component wrapper the tests use. */
export interface SimComponent {
  dom: HTMLElement;
  instance: Record<string, unknown> & {
    data: Record<string, unknown>;
    setData(patch: Record<string, unknown>, cb?: () => void): void;
  };
  attach(parent: Element): void;
  detach(): void;
  querySelector(selector: string): SimComponent | null;
  querySelectorAll(selector: string): SimComponent[];
  dispatchEvent(name: string, detail?: object): void;
}

interface Simulate {
  load(path: string, options: { rootPath: string; compiler?: string }): string;
  render(id: string, props?: object): SimComponent;
  sleep(ms: number): Promise<void>;
}

interface Exparser {
  Event: {
    create(name: string, detail: object, options: { bubbles: boolean; composed: boolean }): unknown;
    dispatchEvent(node: unknown, event: unknown): void;
  };
}

/**
 * A user's tap on a node. Goes through exparser directly: TDesign components are virtual hosts
 * (no DOM element of their own), which j-component's dispatchEvent cannot reach.
 */
export function tap(node: SimComponent | null | undefined, detail: object = {}): void {
  fire(node, 'tap', detail);
}

/** An event as a component emits it, e.g. t-cell's `click` after a tap inside it. */
export function fire(node: SimComponent | null | undefined, name: string, detail: object = {}): void {
  if (!node) throw new Error(`nothing to ${name}`);
  const exparser = require('miniprogram-exparser') as Exparser;
  const target = (node as unknown as { _exparserNode: unknown })._exparserNode;
  exparser.Event.dispatchEvent(target, exparser.Event.create(name, detail, { bubbles: true, composed: true }));
}

export function simulate(): Simulate {
  return require('miniprogram-simulate') as Simulate;
}

/** Requires a module of the built app: the same instance the pages hold. */
export function appModule<T>(root: string, path: string): T {
  return require(join(root, path)) as T;
}

export interface OpenedPage {
  comp: SimComponent;
  /** what a person can read on the page, whitespace collapsed */
  text(): string;
  /** waits until the page's text satisfies `test` */
  waitFor(test: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  call<R = unknown>(method: string, ...args: unknown[]): R;
  close(): void;
}

export function textOf(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Compiles a page and runs its components' code once, in a hook, so a test's first open is not the slow one. */
export function preload(root: string, ...names: string[]): void {
  const phone = installWx(); // component code reads wx and getApp() as it loads
  try {
    for (const name of names) simulate().load(join(root, 'pages', name, 'index'), { rootPath: root });
  } finally {
    phone.uninstall();
  }
}

/**
 * Loads a Component()-based page from the built app, attaches it and runs its onLoad with the
 * query, as WeChat does when the page opens.
 */
export function openPage(root: string, name: string, query: Record<string, string> = {}): OpenedPage {
  const sim = simulate();
  const id = sim.load(join(root, 'pages', name, 'index'), { rootPath: root });
  const comp = sim.render(id);
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  comp.attach(parent);
  const call = <R>(method: string, ...args: unknown[]): R => {
    const fn = comp.instance[method];
    if (typeof fn !== 'function') throw new Error(`page ${name} has no method ${method}`);
    return fn.apply(comp.instance, args) as R;
  };
  call('onLoad', query);
  const text = () => textOf(comp.dom);
  return {
    comp,
    text,
    call,
    async waitFor(test, what, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = text();
        if (test(now)) return now;
        if (Date.now() > deadline) throw new Error(`page ${name}: timed out waiting for ${what}; it shows: ${now.slice(0, 600)}`);
        await sim.sleep(20);
      }
    },
    close() {
      if (typeof comp.instance['onUnload'] === 'function') call('onUnload');
      comp.detach();
      parent.remove();
      lastClosedAt = Date.now();
    },
  };
}

/** Records every setData patch the page sends to the view from now on. */
export function captureSetData(p: OpenedPage): Array<Record<string, unknown>> {
  const sent: Array<Record<string, unknown>> = [];
  const original = p.comp.instance.setData.bind(p.comp.instance);
  p.comp.instance.setData = (patch, cb) => {
    sent.push(patch);
    original(patch, cb);
  };
  return sent;
}

/** What one setData patch costs to send to the view thread. */
export const patchBytes = (patch: unknown): number => Buffer.byteLength(JSON.stringify(patch));
