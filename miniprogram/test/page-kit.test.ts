// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { ensureBuilt } from './support/build';
import { appModule, fire, openPage, preload, tap, type OpenedPage, type SimComponent } from './support/page';

/**
 * The page kit every page shares (behaviors/page-kit.ts), seen from the phone: the signed-in guard,
 * the toast, retry, and closing a popup. No server answers here: the app points at a closed port,
 * so every load fails the way it does without a network.
 */

const NO_SERVER = 'http://127.0.0.1:1';
const NETWORK = '网络不可用，请检查网络后重试';
const RECORD_PAGES = ['customer-detail', 'opportunity-detail', 'task-detail'];
/** Reachable signed out: signing in, and joining a team from an invitation card. */
const SIGNED_OUT_PAGES = ['login', 'join'];

let root: string;
let phone: WxHandles | null = null;
let page: OpenedPage | null = null;

beforeAll(async () => {
  root = await ensureBuilt();
  preload(root, 'customers', 'task-form', 'customer-detail');
});
afterEach(putDown);

/** The page closed, the app's socket forgotten, the wx runtime removed. */
function putDown(): void {
  page?.close();
  page = null;
  if (!phone) return;
  appModule<{ realtime: { forget(): void } }>(root, 'services/realtime.js').realtime.forget();
  phone.uninstall();
  phone = null;
}

function signedOut(): WxHandles {
  phone = installWx();
  phone.storage.set('liveCrm.baseUrl', NO_SERVER);
  return phone;
}

function signedIn(): WxHandles {
  const wx = signedOut();
  wx.storage.set('liveCrm.session', { token: 't', user: { id: 3, name: '李锐', role: 'rep', teamId: 1, tenantId: 1 } });
  return wx;
}

const sheetOf = (p: OpenedPage, selector: string): SimComponent => p.comp.querySelector(selector)!;
/** The popup shows: the component's own `visible`, which the page binds to its `<name>.visible`. */
const shown = (p: OpenedPage, selector: string): unknown => sheetOf(p, selector).instance.data['visible'];
const viewState = (p: OpenedPage, name: string): unknown => (p.comp.instance.data[name] as { visible?: unknown }).visible;

describe('the signed-in guard of every page', () => {
  test('a signed-out user who opens any page but the login and join pages lands on the login page, and nothing is fetched', () => {
    const names = (JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { pages: string[] }).pages
      .map((path) => path.split('/')[1]!)
      .filter((name) => !SIGNED_OUT_PAGES.includes(name));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const wx = signedOut();
      page = openPage(root, name, { id: '12' });
      const back = `/pages/${name}/index?id=12`;
      // A record page (a shared card, a notification) comes back to the record after sign-in.
      const login = RECORD_PAGES.includes(name) ? `/pages/login/index?next=${encodeURIComponent(back)}` : '/pages/login/index';
      expect(wx.navigations, name).toEqual([{ kind: 'reLaunch', url: login }]);
      expect(wx.requests, name).toEqual([]);
      putDown();
    }
    // Every page of app.json is compiled here on first open: about a second each on a busy machine.
  }, 60_000);
});

describe('toast, retry and popups', () => {
  test('a failed load the user retries goes out again and says why it failed', async () => {
    const wx = signedIn();
    const p = (page = openPage(root, 'customers'));
    await p.waitFor((t) => t.includes(NETWORK), 'the error state');
    const asked = () => wx.requests.filter((r) => r.url.includes('/api/crm/customers')).length;
    const before = asked();
    tap(p.comp.querySelector('.retry'));
    await expect.poll(asked).toBe(before + 1);
    await p.waitFor((t) => t.includes(NETWORK) && t.includes('重试'), 'the error state again');
  });

  test('a toast shows its text on the page', async () => {
    signedIn();
    const p = (page = openPage(root, 'task-form'));
    await p.waitFor((t) => t.includes('截止时间'), 'the task form');
    // Picking a customer needs the customer list: without a network the page says so in a toast.
    fire(p.comp.querySelector('.customer'), 'click');
    await p.waitFor((t) => t.includes(NETWORK), 'the failure toast');
    p.call('toast', '已复制');
    await p.waitFor((t) => t.includes('已复制'), 'a plain toast');
  });

  test('an action sheet and a picker close on cancel, each by its own name, and open again', async () => {
    signedIn();
    const p = (page = openPage(root, 'task-form'));
    await p.waitFor((t) => t.includes('截止时间'), 'the task form');

    fire(p.comp.querySelector('.type'), 'click');
    await expect.poll(() => shown(p, '.sheet')).toBe(true);
    tap(sheetOf(p, '.sheet').querySelector('.t-action-sheet__cancel'));
    await expect.poll(() => viewState(p, 'sheet')).toBe(false);
    expect(shown(p, '.sheet')).toBe(false);

    fire(p.comp.querySelector('.due'), 'click');
    // The date-time picker wraps TDesign's picker, whose buttons render once its popup has opened.
    const cancel = () => sheetOf(p, '.picker').querySelector('.t-date-time-picker')?.querySelector('.t-picker__cancel');
    await expect.poll(cancel).toBeTruthy();
    expect(shown(p, '.picker')).toBe(true);
    tap(cancel());
    await expect.poll(() => viewState(p, 'picker')).toBe(false);
    expect(shown(p, '.picker')).toBe(false);
    expect(viewState(p, 'sheet')).toBe(false);

    fire(p.comp.querySelector('.type'), 'click');
    await expect.poll(() => shown(p, '.sheet')).toBe(true);
  });

  test('a popup without a cancel button closes when the user taps beside it', async () => {
    signedIn();
    const p = (page = openPage(root, 'customer-detail', { id: '12' }));
    await p.waitFor((t) => t.includes(NETWORK), 'the error state');
    p.call('onFollowUp');
    await expect.poll(() => shown(p, '.follow-up-sheet')).toBe(true);
    // TDesign's popup only asks to close: it stays open until the page says otherwise.
    fire(sheetOf(p, '.follow-up-sheet').querySelector('#popup-overlay'), 'tap');
    await expect.poll(() => shown(p, '.follow-up-sheet')).toBe(false);
    expect((p.comp.instance.data['followUp'] as { visible: boolean }).visible).toBe(false);
  });
});
