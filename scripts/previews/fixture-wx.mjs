/* global URL, structuredClone, setTimeout */
// A `wx` that answers the page's own calls from fixtures: REST by path, storage in memory, a socket that
// never connects, and native UI (toast, loading, modal, navigation) recorded so it can be drawn or reported.
import { MENU_BUTTON, windowInfo } from './device.mjs';

const ORIGIN = 'http://preview.invalid';

/** Matches `GET /api/crm/customers/:id` against a method and a path; returns the params or null. */
function matchRoute(pattern, method, pathname) {
  const [routeMethod, routePath] = pattern.split(' ');
  if (routeMethod !== method) return null;
  const want = routePath.split('/');
  const have = pathname.split('/');
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

function findRoute(routes, method, pathname) {
  for (const [pattern, answer] of Object.entries(routes)) {
    const params = matchRoute(pattern, method, pathname);
    if (params) return { pattern, answer, params };
  }
  return null;
}

function headerValue(header, name) {
  const key = Object.keys(header || {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? header[key] : undefined;
}

function parseRequest(options) {
  // wx.request has no PATCH; the app sends POST with the override header, as the server accepts.
  const method = String(headerValue(options.header, 'X-HTTP-Method-Override') || options.method || 'GET').toUpperCase();
  const url = new URL(options.url, ORIGIN);
  const query = Object.fromEntries(url.searchParams);
  let body = options.data;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { /* a string body stays a string */ }
  }
  if (method === 'GET' && body && typeof body === 'object') Object.assign(query, body);
  return { method, path: url.pathname, query, body, header: options.header || {} };
}

/**
 * Turns a route's fixture into a response. A fixture is the JSON body (200), or
 * `{ $status, $body }`, `{ $fail: errMsg }` (network failure), `{ $pending: true }` (never answers),
 * or a function of the request returning one of those.
 */
function respond(answer, request) {
  const value = typeof answer === 'function' ? answer(request) : answer;
  if (value && typeof value === 'object' && '$pending' in value) return { pending: true };
  if (value && typeof value === 'object' && '$fail' in value) return { fail: value.$fail };
  if (value && typeof value === 'object' && '$status' in value) {
    return { statusCode: value.$status, data: structuredClone(value.$body ?? null) };
  }
  return { statusCode: 200, data: structuredClone(value) };
}

function later(fn) {
  setTimeout(fn, 0);
}

/** WeChat's async API shape: success/fail/complete callbacks, or a Promise when none is given. */
function asyncApi(run) {
  return (options = {}) => {
    const usesCallbacks = ['success', 'fail', 'complete'].some((key) => typeof options[key] === 'function');
    const settle = (resolve, reject) => later(() => {
      let result;
      try {
        result = { errMsg: 'ok', ...run(options) };
      } catch (error) {
        const failure = { errMsg: error?.errMsg || String(error?.message || error) };
        options.fail?.(failure);
        options.complete?.(failure);
        reject?.(failure);
        return;
      }
      options.success?.(result);
      options.complete?.(result);
      resolve?.(result);
    });
    if (usesCallbacks) return void settle();
    return new Promise(settle);
  };
}

function createStorage(seed) {
  const store = new Map(Object.entries(seed || {}).map(([k, v]) => [k, structuredClone(v)]));
  const missing = (key) => Object.assign(new Error(`getStorage:fail data not found`), { errMsg: 'getStorage:fail data not found', key });
  return {
    getStorageSync: (key) => (store.has(key) ? structuredClone(store.get(key)) : ''),
    setStorageSync: (key, value) => void store.set(key, structuredClone(value)),
    removeStorageSync: (key) => void store.delete(key),
    clearStorageSync: () => store.clear(),
    getStorageInfoSync: () => ({ keys: [...store.keys()], currentSize: 1, limitSize: 10240 }),
    getStorage: asyncApi(({ key }) => {
      if (!store.has(key)) throw missing(key);
      return { data: structuredClone(store.get(key)) };
    }),
    setStorage: asyncApi(({ key, data }) => void store.set(key, structuredClone(data))),
    removeStorage: asyncApi(({ key }) => void store.delete(key)),
    clearStorage: asyncApi(() => store.clear()),
  };
}

/**
 * A socket for weapp.socket.io. `online`: a minimal Socket.IO server on the other end (Engine.IO open,
 * namespace connect, acks from `acks`, then `events` pushed as team envelopes), so realtime code
 * reaches its connected state. `offline`: it never opens, as on a phone without a server.
 */
function createSocketTask({ mode, acks, events }, record) {
  const listeners = { open: [], message: [], close: [], error: [] };
  const deliver = (type, payload) => {
    record.pending += 1;
    later(() => {
      record.pending -= 1;
      for (const fn of listeners[type]) {
        try { fn(payload); } catch (error) { record.logs.push(`socket ${type} listener threw: ${error?.message || error}`); }
      }
    });
  };
  const serverSends = (text) => deliver('message', { data: text });
  const answer = (packet) => {
    if (packet === '2') return serverSends('3');
    if (packet.startsWith('40')) {
      serverSends('40{"sid":"preview-socket"}');
      for (const [event, payload] of events) serverSends(`42${JSON.stringify([event, payload])}`);
      return undefined;
    }
    const emit = /^42(\d+)(\[.*)$/s.exec(packet);
    if (!emit) return undefined;
    const [event, payload] = JSON.parse(emit[2]);
    const reply = typeof acks[event] === 'function' ? acks[event](payload) : acks[event];
    return serverSends(`43${emit[1]}${JSON.stringify([reply ?? { ok: false, error: { code: 'unavailable', message: `no preview ack for ${event}` } }])}`);
  };
  if (mode === 'online') {
    deliver('open', {});
    serverSends('0{"sid":"preview-engine","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
  }
  return {
    send: (options = {}) => {
      if (mode === 'online') answer(String(options.data));
      later(() => options.success?.({ errMsg: 'sendSocketMessage:ok' }));
    },
    close: (options = {}) => later(() => options.success?.({ errMsg: 'closeSocket:ok' })),
    onOpen: (fn) => listeners.open.push(fn),
    onMessage: (fn) => listeners.message.push(fn),
    onClose: (fn) => listeners.close.push(fn),
    onError: (fn) => listeners.error.push(fn),
  };
}

function createRequest(routes, record) {
  return (options) => {
    const request = parseRequest(options);
    const route = findRoute(routes, request.method, request.path);
    const entry = { method: request.method, path: request.path, route: route?.pattern ?? null };
    record.requests.push(entry);
    let aborted = false;
    const reply = route
      ? respond(route.answer, { ...request, params: route.params })
      : { statusCode: 404, data: { error: { code: 'not_found', message: `no preview fixture for ${request.method} ${request.path}` } } };
    if (!reply.pending) {
      record.pending += 1;
      later(() => {
        record.pending -= 1;
        if (aborted) return;
        if (reply.fail) {
          const failure = { errMsg: `request:fail ${reply.fail}` };
          options.fail?.(failure);
          options.complete?.(failure);
          return;
        }
        const success = { statusCode: reply.statusCode, data: reply.data, header: { 'Content-Type': 'application/json' }, cookies: [], errMsg: 'request:ok' };
        options.success?.(success);
        options.complete?.(success);
      });
    }
    return {
      abort() { aborted = true; },
      onHeadersReceived() {}, offHeadersReceived() {}, onChunkReceived() {}, offChunkReceived() {},
    };
  };
}

function createNativeUi(record) {
  const navigate = (kind) => asyncApi((options) => void record.navigations.push({ kind, url: options.url ?? null, delta: options.delta }));
  return {
    showToast: asyncApi((options) => void (record.overlay.toast = { title: options.title || '', icon: options.icon || 'success' })),
    hideToast: asyncApi(() => void (record.overlay.toast = null)),
    showLoading: asyncApi((options) => void (record.overlay.loading = { title: options.title || '' })),
    hideLoading: asyncApi(() => void (record.overlay.loading = null)),
    // A modal waits for the user; a preview shows it open, so it never resolves.
    showModal: (options = {}) => {
      record.overlay.modal = { title: options.title || '', content: options.content || '', confirmText: options.confirmText || '确定',
        cancelText: options.cancelText || '取消', showCancel: options.showCancel !== false };
      return options.success ? undefined : new Promise(() => {});
    },
    showActionSheet: (options = {}) => {
      record.overlay.actionSheet = { items: options.itemList || [] };
      return options.success ? undefined : new Promise(() => {});
    },
    setNavigationBarTitle: asyncApi((options) => void (record.title = options.title)),
    setNavigationBarColor: asyncApi((options) => void (record.navColor = { front: options.frontColor, background: options.backgroundColor })),
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),
    navigateBack: navigate('navigateBack'),
    // Tab bar badges are drawn on the picture's tab bar.
    setTabBarBadge: asyncApi((options) => void (record.tabBadges[options.index] = String(options.text ?? ''))),
    removeTabBarBadge: asyncApi((options) => void delete record.tabBadges[options.index]),
    setTabBarItem: asyncApi((options) => void (options.text !== undefined && (record.tabTexts[options.index] = String(options.text)))),
  };
}

const noop = asyncApi(() => ({}));

/**
 * Builds the `wx` one state runs against. `base` is miniprogram-simulate's own mock (selector queries,
 * animations...), which the fixtures extend rather than replace.
 */
export function createFixtureWx({ base, routes, storage, language = 'zh_CN', tabBar = false, customNav = false,
  socket = { mode: 'online', acks: {}, events: [] } }) {
  const record = { requests: [], navigations: [], pending: 0, tabBadges: {}, tabTexts: {}, overlay: { toast: null, loading: null, modal: null, actionSheet: null },
    title: null, navColor: null, errors: [], logs: [] };
  const info = windowInfo({ customNav, tabBar });
  const appBase = { SDKVersion: '3.5.0', language, version: '8.0.50', theme: 'light', enableDebug: false, host: { env: 'WeChat' } };
  const device = { brand: 'iPhone', model: 'iPhone X', system: 'iOS 17.0', platform: 'ios', benchmarkLevel: 1 };
  const wx = {
    ...base,
    ...createStorage(storage),
    ...createNativeUi(record),
    request: createRequest(routes, record),
    connectSocket: () => createSocketTask(socket, record),
    getWindowInfo: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...appBase }),
    getDeviceInfo: () => ({ ...device, pixelRatio: info.pixelRatio }),
    getSystemSetting: () => ({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }),
    getSystemInfoSync: () => ({ ...info, ...appBase, ...device, fontSizeSetting: 16 }),
    getSystemInfo: asyncApi(() => ({ ...info, ...appBase, ...device, fontSizeSetting: 16 })),
    getMenuButtonBoundingClientRect: () => ({ ...MENU_BUTTON }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wxpreview', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: '', scene: 1001, query: {}, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ path: '', scene: 1001, query: {}, referrerInfo: {} }),
    login: asyncApi(() => ({ code: 'preview-code' })),
    checkSession: noop,
    getNetworkType: asyncApi(() => ({ networkType: 'wifi' })),
    requestSubscribeMessage: asyncApi(() => ({})),
    stopPullDownRefresh: noop,
    startPullDownRefresh: noop,
    pageScrollTo: noop,
    vibrateShort: noop,
    makePhoneCall: noop,
    setClipboardData: noop,
    openDocument: noop,
    downloadFile: (options = {}) => later(() => options.fail?.({ errMsg: 'downloadFile:fail offline preview' })),
    onNetworkStatusChange() {}, offNetworkStatusChange() {},
    onAppShow() {}, offAppShow() {}, onAppHide() {}, offAppHide() {},
    onSocketOpen() {}, onSocketClose() {}, onSocketError() {}, onSocketMessage() {},
    onThemeChange() {}, offThemeChange() {}, onWindowResize() {}, offWindowResize() {},
    onError() {}, offError() {}, onUnhandledRejection() {}, offUnhandledRejection() {},
    reportAnalytics() {},
    nextTick: (fn) => Promise.resolve().then(fn),
  };
  return { wx, record };
}
