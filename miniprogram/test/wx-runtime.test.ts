import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { installWx, MemoryStorage, type WxHandles } from '../../test-support/wx/index';

type AnyFn = (...args: any[]) => any;
const api = (h: WxHandles, name: string) => h.wx[name] as AnyFn;
let http: Server;
let httpUrl: string;
let wss: WebSocketServer;
let wsUrl: string;

beforeAll(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const status = req.url?.startsWith('/conflict') ? 409 : 200;
      res.writeHead(status, { 'content-type': req.url?.startsWith('/text') ? 'text/plain' : 'application/json' });
      res.end(
        req.url?.startsWith('/text')
          ? 'plain words'
          : JSON.stringify({ method: req.method, url: req.url, body, auth: req.headers.authorization ?? null }),
      );
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  await new Promise<void>((r) => wss.on('listening', r));
  wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await new Promise((r) => wss.close(r));
});

let h: WxHandles;
afterEach(() => h?.uninstall());

const call = <T>(fn: AnyFn, opts: object) =>
  new Promise<{ ok: boolean; res: T }>((resolve) =>
    fn({ ...opts, success: (res: T) => resolve({ ok: true, res }), fail: (res: T) => resolve({ ok: false, res }) }),
  );

describe('wx.request over real HTTP', () => {
  test('any HTTP status is success; JSON is parsed; GET data goes to the query', async () => {
    h = installWx();
    const got = await call<{ statusCode: number; data: any }>(api(h, 'request'), {
      url: `${httpUrl}/a`,
      data: { q: 'x y' },
      header: { Authorization: 'Bearer t' },
    });
    expect(got.ok).toBe(true);
    expect(got.res.statusCode).toBe(200);
    expect(got.res.data).toMatchObject({ method: 'GET', url: '/a?q=x%20y', auth: 'Bearer t' });
    const conflict = await call<{ statusCode: number }>(api(h, 'request'), { url: `${httpUrl}/conflict`, method: 'PUT', data: { a: 1 } });
    expect(conflict).toMatchObject({ ok: true, res: { statusCode: 409 } });
    const text = await call<{ data: unknown }>(api(h, 'request'), { url: `${httpUrl}/text` });
    expect(text.res.data).toBe('plain words');
  });

  test('POST sends JSON; PATCH is not a wx.request method; a dead port fails', async () => {
    h = installWx();
    const post = await call<{ data: any }>(api(h, 'request'), { url: `${httpUrl}/p`, method: 'POST', data: { n: 1 } });
    expect(JSON.parse(post.res.data.body)).toEqual({ n: 1 });
    const patch = await call<{ errMsg: string }>(api(h, 'request'), { url: `${httpUrl}/p`, method: 'PATCH', data: {} });
    expect(patch.ok).toBe(false);
    expect(patch.res.errMsg).toMatch(/^request:fail/);
    const dead = await call<{ errMsg: string }>(api(h, 'request'), { url: 'http://127.0.0.1:1/x' });
    expect(dead.ok).toBe(false);
  });
});

describe('storage', () => {
  test("missing keys read as ''; values are copies; a relaunch keeps what was stored", async () => {
    const storage = new MemoryStorage();
    h = installWx({ storage });
    const obj = { a: [1, 2] };
    api(h, 'setStorageSync')('k', obj);
    obj.a.push(3);
    expect(api(h, 'getStorageSync')('k')).toEqual({ a: [1, 2] });
    expect(api(h, 'getStorageSync')('nope')).toBe('');
    const failed = await call<{ errMsg: string }>(api(h, 'getStorage'), { key: 'nope' });
    expect(failed.ok).toBe(false);
    h.uninstall();
    h = installWx({ storage });
    expect(api(h, 'getStorageSync')('k')).toEqual({ a: [1, 2] });
    api(h, 'removeStorageSync')('k');
    expect(api(h, 'getStorageSync')('k')).toBe('');
  });
});

describe('wx.connectSocket over ws', () => {
  const open = (h: WxHandles) =>
    new Promise<any>((resolve) => {
      const task = api(h, 'connectSocket')({ url: wsUrl });
      task.onOpen(() => resolve(task));
    });

  test('strings and ArrayBuffers travel; a Uint8Array is refused as WeChat does', async () => {
    h = installWx();
    const task = await open(h);
    const got: unknown[] = [];
    task.onMessage((m: { data: unknown }) => got.push(m.data));
    task.send({ data: 'hello' });
    task.send({ data: new Uint8Array([1, 2, 3]).buffer });
    const refused = await new Promise<{ errMsg: string }>((r) => task.send({ data: new Uint8Array([1]), fail: r }));
    expect(refused.errMsg).toMatch(/ArrayBuffer/);
    await expect.poll(() => got.length).toBe(2);
    expect(got[0]).toBe('hello');
    expect(got[1]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(got[1] as ArrayBuffer)]).toEqual([1, 2, 3]);
    const closed = new Promise<{ code: number }>((r) => task.onClose(r));
    task.close({ code: 1000 });
    expect((await closed).code).toBe(1000);
  });

  test('a throwing listener is reported, not thrown; later listeners still run', async () => {
    h = installWx();
    const task = await open(h);
    const seen: string[] = [];
    task.onMessage(() => {
      throw new Error('page bug');
    });
    task.onMessage((m: { data: string }) => seen.push(m.data));
    task.send({ data: 'x' });
    await expect.poll(() => seen).toEqual(['x']);
    expect(h.reportedErrors).toHaveLength(1);
    expect((h.reportedErrors[0]!.error as Error).message).toBe('page bug');
  });

  test('at most five sockets at once', async () => {
    h = installWx();
    for (let i = 0; i < 5; i++) await open(h);
    const sixth = await new Promise<{ errMsg: string }>((r) => api(h, 'connectSocket')({ url: wsUrl, fail: r }));
    expect(sixth.errMsg).toMatch(/max/);
    expect(h.liveSocketCount()).toBe(5);
  });

  test('weapp.socket.io retrying a dead server throws inside onError: reported, the process lives on', async () => {
    h = installWx();
    const require = createRequire(import.meta.url);
    const { io } = require('weapp.socket.io') as { io: AnyFn };
    const socket = io('http://127.0.0.1:1', {
      transports: ['websocket'],
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
      reconnectionAttempts: 3,
    });
    const failed = new Promise<void>((r) => socket.io.on('reconnect_failed', () => r()));
    await failed;
    socket.close();
    expect(h.sockets.length).toBeGreaterThanOrEqual(3);
    // the library's own throw from its onError listener was caught and reported
    expect(h.reportedErrors.some((e) => e.where.includes('onError'))).toBe(true);
  });
});

describe('UI recorders and system info', () => {
  test('toasts, action sheets, navigation, login codes and language are recorded/scripted', async () => {
    h = installWx({ language: 'en' });
    api(h, 'showToast')({ title: 'Saved', icon: 'success' });
    h.script.actionSheetAnswers.push(1, 'cancel');
    const tapped = await call<{ tapIndex: number }>(api(h, 'showActionSheet'), { itemList: ['a', 'b'] });
    const cancelled = await call<{ errMsg: string }>(api(h, 'showActionSheet'), { itemList: ['a'] });
    api(h, 'reLaunch')({ url: '/pages/login/index' });
    const login = await call<{ code: string }>(api(h, 'login'), {});
    expect(h.toasts).toEqual([{ title: 'Saved', icon: 'success' }]);
    expect(tapped.res.tapIndex).toBe(1);
    expect(cancelled.ok).toBe(false);
    expect(h.navigations).toEqual([{ kind: 'reLaunch', url: '/pages/login/index' }]);
    expect(login.res.code).toBe('test-code-1');
    expect(api(h, 'getAppBaseInfo')().language).toBe('en');
    expect(api(h, 'getSystemInfoSync')().language).toBe('en');
    expect(api(h, 'getWindowInfo')().windowWidth).toBe(375);
  });
});

describe('losing the network', () => {
  test('offline: requests fail, sockets drop and are refused, listeners and getNetworkType know; online again works', async () => {
    h = installWx();
    const task = await new Promise<any>((resolve) => {
      const t = api(h, 'connectSocket')({ url: wsUrl });
      t.onOpen(() => resolve(t));
    });
    const dropped = new Promise<unknown>((r) => task.onClose(r));
    const changes: Array<{ isConnected: boolean; networkType: string }> = [];
    api(h, 'onNetworkStatusChange')((res: { isConnected: boolean; networkType: string }) => changes.push(res));
    h.setOffline(true);
    await dropped;
    const req = await call<{ errMsg: string }>(api(h, 'request'), { url: `${httpUrl}/a`, method: 'POST', data: {} });
    expect(req).toEqual({ ok: false, res: { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' } });
    const refused = await new Promise<{ errMsg: string }>((r) => api(h, 'connectSocket')({ url: wsUrl, fail: r }));
    expect(refused.errMsg).toBe('connectSocket:fail net::ERR_INTERNET_DISCONNECTED');
    expect((await call<{ networkType: string }>(api(h, 'getNetworkType'), {})).res.networkType).toBe('none');
    expect(changes).toEqual([{ isConnected: false, networkType: 'none' }]);
    h.setOffline(false);
    expect((await call<{ statusCode: number }>(api(h, 'request'), { url: `${httpUrl}/a` })).res.statusCode).toBe(200);
    // Told asynchronously, as WeChat does: not necessarily before a request that was already answered.
    await expect.poll(() => changes.at(-1)).toEqual({ isConnected: true, networkType: 'wifi' });
  });
});

describe('privacy consent (用户隐私保护指引)', () => {
  type Resolve = (r: { event: string; buttonId?: string }) => void;
  const waitFor = (h: WxHandles) => {
    const asked: Array<{ resolve: Resolve; referrer: string }> = [];
    api(
      h,
      'onNeedPrivacyAuthorization',
    )((resolve: Resolve, info: { referrer: string }) => asked.push({ resolve, referrer: info.referrer }));
    return asked;
  };
  const copy = (h: WxHandles, data: string) =>
    new Promise<{ ok: boolean; errMsg: string }>((resolve) =>
      api(
        h,
        'setClipboardData',
      )({
        data,
        success: (r: { errMsg: string }) => resolve({ ok: true, errMsg: r.errMsg }),
        fail: (r: { errMsg: string }) => resolve({ ok: false, errMsg: r.errMsg }),
      }),
    );

  test('a privacy API waits for the app: refused it fails, agreed after a tap on the button it runs', async () => {
    h = installWx();
    const asked = waitFor(h);
    const refused = copy(h, 'first');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]!.referrer).toBe('setClipboardData');
    asked[0]!.resolve({ event: 'disagree' });
    expect(await refused).toEqual({ ok: false, errMsg: 'setClipboardData:fail privacy permission is not authorized' });
    expect(h.privacy.clipboard).toBe('');

    const agreed = copy(h, 'second');
    await expect.poll(() => asked.length).toBe(2);
    asked[1]!.resolve({ event: 'exposureAuthorization' });
    h.privacy.tapAgreeButton('agree-btn');
    asked[1]!.resolve({ buttonId: 'agree-btn', event: 'agree' });
    expect(await agreed).toEqual({ ok: true, errMsg: 'setClipboardData:ok' });
    expect(h.privacy.clipboard).toBe('second');
    expect(h.privacy.exposures).toEqual(['setClipboardData']);
    // Consent holds for every privacy API from now on.
    expect(await copy(h, 'third')).toMatchObject({ ok: true });
    expect(asked).toHaveLength(2);
    expect(await api(h, 'getClipboardData')({})).toMatchObject({ data: 'third' });
  });

  test('an agree without a tap on that button is not consent; without a listener WeChat asks itself', async () => {
    h = installWx();
    const asked = waitFor(h);
    const sneaky = copy(h, 'x');
    await expect.poll(() => asked.length).toBe(1);
    asked[0]!.resolve({ buttonId: 'agree-btn', event: 'agree' });
    expect(await sneaky).toMatchObject({ ok: false });
    expect(h.reportedErrors.map((e) => e.where)).toEqual(['onNeedPrivacyAuthorization resolve']);
    expect(await api(h, 'getPrivacySetting')({})).toMatchObject({ needAuthorization: true });
    h.uninstall();

    h = installWx();
    h.script.privacyPopupAnswers.push('disagree');
    expect(await copy(h, 'y')).toMatchObject({ ok: false });
    expect(await copy(h, 'z')).toMatchObject({ ok: true });
    expect(h.privacy.platformPopups).toEqual(['setClipboardData', 'setClipboardData']);
    h.uninstall();

    h = installWx({ privacyAgreed: true });
    expect(await copy(h, 'agreed before')).toMatchObject({ ok: true });
    expect(h.privacy.platformPopups).toEqual([]);
  });
});
