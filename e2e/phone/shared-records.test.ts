// @vitest-environment jsdom
import type { Customer, Opportunity, Stage } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { BASE_URL_KEY, putDown, SESSION_KEY, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { appModule, fire, openPage, preload, tap, type OpenedPage } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let wx: WxHandles | null = null;
let page: OpenedPage | null = null;
let customer: Customer;
let deal: Opportunity;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  preload(root, 'customer-detail', 'opportunity-detail', 'login');
  const ray = await signIn(server.url, 'ray');
  customer = (await ray.get<{ customers: Customer[] }>('/api/crm/customers?sortBy=name')).body.customers[0]!;
  // An open deal: a closed one offers reopening instead of moving.
  const { stages, opportunities } = (await ray.get<{ stages: Stage[]; opportunities: Opportunity[] }>('/api/crm/pipeline')).body;
  const open = new Set(stages.filter((s) => s.outcome === 'open').map((s) => s.id));
  deal = opportunities.find((o) => open.has(o.stageId))!;
});
afterEach(() => {
  putDown(root, wx, page);
  [page, wx] = [null, null];
});
afterAll(() => server?.stop());

async function phoneOf(login: string, language?: string): Promise<WxHandles> {
  wx = (await signedInPhone(root, server.url, login, language ? { language } : {})).wx;
  return wx;
}

/** A phone with the app and nobody signed in. */
function signedOutPhone(): WxHandles {
  wx = installWx();
  wx.storage.set(BASE_URL_KEY, server.url);
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  return wx;
}

/** Opens an in-app path as WeChat does: the page's onLoad gets the query values as they are in the path. */
function openPath(path: string): OpenedPage {
  const [route = '', search = ''] = path.split('?');
  const name = /^\/pages\/([\w-]+)\/index$/.exec(route)?.[1];
  if (!name) throw new Error(`not a page path: ${path}`);
  const query = Object.fromEntries(
    search
      .split('&')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
  return (page = openPage(root, name, query));
}

/** What a teammate would open from the chat: the card the page hands WeChat. */
async function shareFrom(pageName: string, id: number, shows: string): Promise<{ title: string; path: string }> {
  const phone = await phoneOf('ray');
  const p = (page = openPage(root, pageName, { id: String(id) }));
  await p.waitFor((t) => t.includes(shows) && !t.includes('加载中'), 'the record');
  expect(phone.shareMenus).toContainEqual({ menus: ['shareAppMessage'], withShareTicket: false });
  const card = p.call<{ title: string; path: string }>('onShareAppMessage');
  putDown(root, wx, page);
  [page, wx] = [null, null];
  return card;
}

const notFoundText = (p: OpenedPage) => p.comp.querySelector('.not-found');

describe('sharing a record into a WeChat chat', () => {
  test('a teammate opening a shared customer card lands on the customer', async () => {
    const card = await shareFrom('customer-detail', customer.id, customer.name);
    expect(card).toEqual({ title: `客户 · ${customer.name}`, path: `/pages/customer-detail/index?id=${customer.id}&shared=1` });
    await phoneOf('rita');
    const p = openPath(card.path);
    await p.waitFor((t) => t.includes(customer.name) && t.includes('打电话'), 'the shared customer');
  });

  test('a shared deal card carries its title but no amount; a teammate lands on the deal', async () => {
    const card = await shareFrom('opportunity-detail', deal.id, '移动阶段');
    expect(card).toEqual({ title: `商机 · ${deal.title}`, path: `/pages/opportunity-detail/index?id=${deal.id}&shared=1` });
    expect(card.title).not.toContain('¥');
    await phoneOf('mia');
    const p = openPath(card.path);
    await p.waitFor((t) => t.includes(deal.title) && t.includes('移动阶段'), 'the shared deal');
  });

  test('a signed-out teammate is asked to sign in, then lands on the shared deal', async () => {
    const card = await shareFrom('opportunity-detail', deal.id, '移动阶段');
    const phone = signedOutPhone();
    openPath(card.path);
    const toLogin = phone.navigations.at(-1)!;
    expect(toLogin).toEqual({ kind: 'reLaunch', url: `/pages/login/index?next=${encodeURIComponent(card.path)}` });
    page?.close();
    const login = openPath(toLogin.url!);
    await login.waitFor((t) => t.includes('开发环境登录'), 'the login page');
    fire(login.comp.querySelector('#dev-rita'), 'click');
    await expect.poll(() => phone.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: card.path });
    login.close();
    const p = openPath(card.path);
    await p.waitFor((t) => t.includes(deal.title) && t.includes('移动阶段'), 'the shared deal after sign-in');
  });

  test('a teammate whose session expired signs in again and comes back to the shared customer', async () => {
    const card = await shareFrom('customer-detail', customer.id, customer.name);
    const phone = signedOutPhone();
    phone.storage.set(SESSION_KEY, { token: 'expired-token', user: { id: 1, name: 'Rita', role: 'rep', teamId: 1, tenantId: 1 } });
    phone.pageStack.push({ route: 'pages/customer-detail/index', options: { id: String(customer.id), shared: '1' } });
    openPath(card.path);
    await expect
      .poll(() => phone.navigations.at(-1))
      .toEqual({ kind: 'reLaunch', url: `/pages/login/index?next=${encodeURIComponent(card.path)}` });
    page?.close();
    phone.pageStack.length = 0;
    const login = openPath(phone.navigations.at(-1)!.url!);
    await login.waitFor((t) => t.includes('开发环境登录'), 'the login page');
    fire(login.comp.querySelector('#dev-rita'), 'click');
    await expect.poll(() => phone.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: card.path });
  });

  test('someone of another tenant opening the card gets the no-access page, with a way back', async () => {
    const card = await shareFrom('customer-detail', customer.id, customer.name);
    const phone = await phoneOf('oscar');
    const p = openPath(card.path);
    await p.waitFor((t) => t.includes('你无权查看这条记录'), 'the no-access page');
    expect(p.text()).toContain('请联系分享给你的同事');
    expect(p.text()).not.toContain(customer.name);
    expect(p.text()).not.toContain('重试');
    tap(notFoundText(p)!.querySelector('.back'));
    await expect.poll(() => phone.navigations.at(-1)).toEqual({ kind: 'navigateBack', delta: 1 });
  });

  test('the login page only returns to a record page of the app', async () => {
    const phone = signedOutPhone();
    const login = (page = openPage(root, 'login', { next: encodeURIComponent('https://evil.example/pages/customer-detail/index?id=1') }));
    await login.waitFor((t) => t.includes('开发环境登录'), 'the login page');
    fire(login.comp.querySelector('#dev-rita'), 'click');
    await expect.poll(() => phone.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: '/pages/pipeline/index' });
  });
});

describe('one not-found screen', () => {
  const missing = [
    ['customer-detail', 'a customer'],
    ['opportunity-detail', 'a deal'],
    ['task-detail', 'a task'],
  ] as const;

  for (const [pageName, what] of missing) {
    test(`${what} that is not there: the same screen, no retry, back`, async () => {
      const phone = await phoneOf('ray');
      const p = (page = openPage(root, pageName, { id: '99999999' }));
      await p.waitFor((t) => t.includes('找不到这条记录'), 'the not-found screen');
      expect(p.text()).toContain('它可能已被删除，或你没有查看权限。');
      expect(p.text()).not.toContain('重试');
      tap(notFoundText(p)!.querySelector('.back'));
      await expect.poll(() => phone.navigations.at(-1)).toEqual({ kind: 'navigateBack', delta: 1 });
    });
  }

  test('an English phone reads it in English', async () => {
    await phoneOf('ray', 'en');
    const p = (page = openPage(root, 'task-detail', { id: '99999999' }));
    await p.waitFor((t) => t.includes('This record is not here'), 'the English not-found screen');
    expect(p.text()).toContain('Back');
  });
});
