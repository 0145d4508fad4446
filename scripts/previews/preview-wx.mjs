/* global setTimeout */
// The `wx` a preview runs against: the test wx runtime (test-support/wx: storage, real HTTP to the
// preview server, real WebSockets, network controls), with native UI (toast, loading, modal,
// navigation, tab bar) recorded so it can be drawn, and the preview phone's window.
import { installWx, MemoryStorage } from '../../test-support/wx/index.ts';
import { MENU_BUTTON, windowInfo } from './device.mjs';

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

/** Requests sent and not yet answered. */
const inFlight = (handles) => handles.requests.filter((r) => r.statusCode === undefined && r.errMsg === undefined).length;

/**
 * Installs the `wx` one state runs against. `base` is miniprogram-simulate's own mock (selector
 * queries, animations...), kept underneath. `storage`: key -> value to start from.
 */
export function installPreviewWx({ base, storage = {}, language = 'zh_CN', tabBar = false, customNav = false }) {
  const record = { requests: [], navigations: [], tabBadges: {}, tabTexts: {}, overlay: { toast: null, loading: null, modal: null, actionSheet: null },
    title: null, navColor: null, errors: [], logs: [], clipboard: [] };
  const memory = new MemoryStorage();
  for (const [key, value] of Object.entries(storage)) memory.set(key, value);
  // installWx registers its own App()/getApp(); the preview runtime keeps its own (app-runtime.mjs).
  const appGlobals = { App: globalThis.App, getApp: globalThis.getApp, getCurrentPages: globalThis.getCurrentPages };
  globalThis.wx = base;
  const handles = installWx({ storage: memory, language });
  Object.assign(globalThis, appGlobals);
  const info = windowInfo({ customNav, tabBar });
  const appBase = { SDKVersion: '3.5.0', language, version: '8.0.50', theme: 'light', enableDebug: false, host: { env: 'WeChat' } };
  const device = { brand: 'iPhone', model: 'iPhone X', system: 'iOS 17.0', platform: 'ios', benchmarkLevel: 1 };
  Object.assign(handles.wx, createNativeUi(record), {
    getWindowInfo: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...appBase }),
    getDeviceInfo: () => ({ ...device, pixelRatio: info.pixelRatio }),
    getSystemInfoSync: () => ({ ...info, ...appBase, ...device, fontSizeSetting: 16 }),
    getSystemInfo: asyncApi(() => ({ ...info, ...appBase, ...device, fontSizeSetting: 16 })),
    getMenuButtonBoundingClientRect: () => ({ ...MENU_BUTTON }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wxpreview', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: '', scene: 1001, query: {}, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ path: '', scene: 1001, query: {}, referrerInfo: {} }),
    checkSession: noop,
    stopPullDownRefresh: noop,
    startPullDownRefresh: noop,
    pageScrollTo: noop,
    vibrateShort: noop,
    makePhoneCall: noop,
    setClipboardData: asyncApi(({ data }) => void record.clipboard.push(data)),
    openDocument: noop,
    onAppShow() {}, offAppShow() {}, onAppHide() {}, offAppHide() {},
    onThemeChange() {}, offThemeChange() {}, onWindowResize() {}, offWindowResize() {},
    onError() {}, offError() {}, onUnhandledRejection() {}, offUnhandledRejection() {},
    reportAnalytics() {},
  });
  // The previews move the global clock back for every state, and fetch's pool times its kept-alive
  // connections by that clock: it would hand out one the server has long closed. One connection per request.
  const request = handles.wx.request;
  handles.wx.request = (options) => request({ ...options, header: { ...options.header, connection: 'close' } });
  record.requests = handles.requests;
  Object.defineProperty(record, 'pending', { get: () => inFlight(handles) });
  return { wx: handles.wx, record, handles };
}
