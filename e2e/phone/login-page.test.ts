// @vitest-environment jsdom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { BASE_URL_KEY, SESSION_KEY, type AppRealtime } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { appModule, fire, openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

/** WeChat's code2Session, the one WeChat server API the login needs: code -> openid. */
async function fakeCode2Session(openIds: Record<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const openid = openIds[url.searchParams.get('js_code') ?? ''];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(openid ? { openid, session_key: 'secret-session-key' } : { errcode: 40029, errmsg: 'invalid code' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let node: TestNode;
let wechat: Awaited<ReturnType<typeof fakeCode2Session>>;
let root: string;
let wx: WxHandles;
let page: OpenedPage | null = null;

beforeAll(async () => {
  wechat = await fakeCode2Session({ 'code-linked': 'o-ray-openid', 'code-stranger': 'o-nobody' });
  [node, root] = await Promise.all([
    startTestNode({ env: { WECHAT_API_BASE: wechat.url, WECHAT_APPID: 'wx-test', WECHAT_SECRET: 'secret' } }),
    ensureBuilt(),
  ]);
  await node.db.sequelize.query(`UPDATE users SET wechat_open_id = 'o-ray-openid' WHERE login = 'ray'`);
});
afterEach(() => {
  page?.close();
  page = null;
  appModule<{ realtime: AppRealtime }>(root, 'services/realtime.js').realtime.forget();
  wx?.uninstall();
});
afterAll(async () => {
  await node?.stop();
  await new Promise((r) => wechat?.server.close(r));
});

function phone(loginCode?: string): WxHandles {
  wx = installWx(loginCode ? { loginCode: () => loginCode } : {});
  wx.storage.set(BASE_URL_KEY, node.url);
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  return wx;
}

const session = () => wx.storage.get(SESSION_KEY) as { token: string; user: { name: string } } | '';

describe('login page', () => {
  test('lists the demo users with role and team when the server allows dev login; a tap signs in', async () => {
    phone();
    const p = (page = openPage(root, 'login'));
    const text = await p.waitFor((t) => t.includes('王婷'), 'the dev login list');
    expect(text).toContain('开发环境登录');
    for (const who of ['李锐', '王婷', '张敏']) expect(text).toContain(who);
    // One row per account: name, role · team · company, and the login id on its own at the right.
    const rows = [...p.comp.dom.querySelectorAll('.t-cell--t-cell')].map((el) => textOf(el));
    expect(rows).toContain('李锐销售 · 华东组 · 示范贸易有限公司ray');
    expect(rows).toContain('张敏经理 · 华东组 · 示范贸易有限公司mia');
    expect(text).toContain('微信一键登录');
    fire(p.comp.querySelector('#dev-rita'), 'click');
    await p.waitFor((t) => t.includes('欢迎，王婷'), 'the welcome toast');
    expect(session()).toMatchObject({ user: { name: '王婷' } });
    expect(wx.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: '/pages/pipeline/index' });
  });

  test('WeChat login exchanges the wx.login code on the server and signs in the linked user', async () => {
    phone('code-linked');
    const p = (page = openPage(root, 'login'));
    await p.waitFor((t) => t.includes('微信一键登录'), 'the login button');
    tap(p.comp.querySelector('.wechat'));
    await p.waitFor((t) => t.includes('欢迎，李锐'), 'the welcome toast');
    const login = wx.requests.find((r) => r.url.endsWith('/api/auth/wechat-login'))!;
    expect(JSON.parse(String(login.body))).toEqual({ code: 'code-linked' });
    expect(JSON.stringify(session())).not.toContain('secret-session-key');
    expect(wx.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: '/pages/pipeline/index' });
  });

  test('a WeChat account not linked to a user is told so and stays on the login page', async () => {
    phone('code-stranger');
    const p = (page = openPage(root, 'login'));
    await p.waitFor((t) => t.includes('微信一键登录'), 'the login button');
    tap(p.comp.querySelector('.wechat'));
    await p.waitFor((t) => t.includes('登录失败'), 'the failure toast');
    expect(p.text()).toContain('没有权限执行此操作');
    expect(session()).toBe('');
    expect(wx.navigations).toEqual([]);
  });

  test('a token the server rejects (401) clears the session and returns to the login page', async () => {
    phone();
    wx.storage.set(SESSION_KEY, { token: 'forged-token', user: { id: 1, name: '李锐', role: 'rep', teamId: 1, tenantId: 1 } });
    page = openPage(root, 'pipeline');
    await expect.poll(() => wx.navigations).toContainEqual({ kind: 'reLaunch', url: '/pages/login/index' });
    expect(session()).toBe('');
  });

  test('an existing session skips the login page', async () => {
    phone();
    wx.storage.set(SESSION_KEY, { token: 'kept', user: { id: 1, name: '李锐', role: 'rep', teamId: 1, tenantId: 1 } });
    page = openPage(root, 'login');
    expect(wx.navigations).toEqual([{ kind: 'reLaunch', url: '/pages/pipeline/index' }]);
  });
});
