import { canvasApi } from './canvas';
import type { CanvasLog } from './canvas';
import { filesApi } from './files';
import { fileSystemApi } from './file-system';
import { mediaApi } from './media';
import type { MediaLog, MediaScript } from './media';
import type { DownloadRecord, OpenedDocument } from './files';
import { MemoryStorage, storageApi } from './storage';
import { requestApi } from './request';
import type { RequestRecord } from './request';
import { socketApi } from './socket';
import { NetworkState } from './network';
import { privacyApi } from './privacy';
import type { PrivacyHandles, PrivacyScript } from './privacy';
import type { TestSocketTask } from './socket';
import { systemApi } from './system';
import { uiApi } from './ui';
import type { UiLog, UiScript } from './ui';

export { MemoryStorage } from './storage';
export type { TestSocketTask } from './socket';
export type { RequestRecord } from './request';
export type { DownloadRecord, OpenedDocument } from './files';
export type { PickedMedia, PickedPlace, UploadRecord } from './media';
export type { PrivacyHandles } from './privacy';
export type { Drawing } from './canvas';
export { PRIVACY_CONTRACT_NAME } from './privacy';

export interface InstallWxOptions {
  /** 'zh_CN' (default) or 'en' ... as wx.getAppBaseInfo().language reports it */
  language?: string;
  /** reuse a previous run's storage to "relaunch the app" */
  storage?: MemoryStorage;
  /** what wx.login answers; default test-code-1, test-code-2, ... */
  loginCode?: () => string;
  maxSockets?: number;
  /** print reported listener errors (default: only record them) */
  logErrors?: boolean;
  /** the user agreed to the privacy guide before (WeChat remembers it, not the app's storage) */
  privacyAgreed?: boolean;
}

export interface ReportedError {
  where: string;
  error: unknown;
}

export interface WxHandles extends UiLog, MediaLog, CanvasLog {
  wx: Record<string, unknown>;
  storage: MemoryStorage;
  requests: RequestRecord[];
  /** every wx.downloadFile, with the temp file it wrote */
  downloads: DownloadRecord[];
  /** every document wx.openDocument opened */
  documents: OpenedDocument[];
  sockets: TestSocketTask[];
  /** exceptions thrown by listeners/callbacks that WeChat would have caught and logged */
  reportedErrors: ReportedError[];
  script: UiScript & PrivacyScript & MediaScript;
  /** privacy consent, the clipboard and the privacy contract (see privacy.ts) */
  privacy: PrivacyHandles;
  /** the page stack getCurrentPages() answers, bottom first; a test opening a page pushes it */
  pageStack: Array<{ route: string; options: Record<string, string> }>;
  liveSocketCount(): number;
  /** drop every open connection as a lost network would */
  dropSockets(): void;
  /**
   * Lose (or regain) the network: requests fail with `request:fail`, answers in flight are lost,
   * sockets drop and new ones are refused; onNetworkStatusChange listeners hear of it.
   */
  setOffline(offline: boolean): void;
  closeSockets(): void;
  uninstall(): void;
}

type AppOptions = Record<string, unknown>;
type Globals = {
  wx?: Record<string, unknown>;
  window?: unknown;
  App?: (options: AppOptions) => void;
  getApp?: () => AppOptions;
  getCurrentPages?: () => unknown[];
};

/**
 * Sets `globalThis.wx` (and `globalThis.window`, which weapp.socket.io reads when it loads)
 * to a node implementation of the wx APIs the app uses, backed by real HTTP and WebSockets.
 */
export function installWx(options: InstallWxOptions = {}): WxHandles {
  const g = globalThis as unknown as Globals;
  const previous = { wx: g.wx, window: g.window };
  const storage = options.storage ?? new MemoryStorage();
  const reportedErrors: ReportedError[] = [];
  const report = (where: string, error: unknown) => {
    reportedErrors.push({ where, error });
    if (options.logErrors) console.warn(`[wx] ${where} threw`, error);
  };
  const requests: RequestRecord[] = [];
  const sockets: TestSocketTask[] = [];
  const log: UiLog = {
    toasts: [],
    modals: [],
    actionSheets: [],
    navigations: [],
    titles: [],
    phoneCalls: [],
    pullDownStops: 0,
    loading: false,
    tabBarBadges: {},
    tabBarTexts: {},
    subscribeRequests: [],
    shareMenus: [],
  };
  const script: UiScript & PrivacyScript & MediaScript = {
    modalAnswers: [],
    actionSheetAnswers: [],
    subscribeAnswers: [],
    privacyPopupAnswers: [],
    messageFiles: [],
    mediaAnswers: [],
    locationAnswers: [],
  };
  let codes = 0;
  const nextCode = options.loginCode ?? (() => `test-code-${++codes}`);
  const network = new NetworkState(report);
  const sockApi = socketApi(report, sockets, options.maxSockets, network);
  const downloads: DownloadRecord[] = [];
  const documents: OpenedDocument[] = [];
  const files = filesApi(report, downloads, documents);
  const privacy = privacyApi(report, log, script, options.privacyAgreed ?? false);
  const mediaLog: MediaLog = { uploads: [], previews: [], compressions: [] };
  const media = mediaApi(report, network, script, mediaLog, privacy.gated);
  const canvasLog: CanvasLog = { drawings: [] };
  const canvas = canvasApi(report, canvasLog);
  const device = { language: options.language ?? 'zh_CN', windowWidth: 375, windowHeight: 812 };

  const wx: Record<string, unknown> = {
    // keep what is already there (e.g. miniprogram-simulate's selector queries) underneath ours
    ...(previous.wx ?? {}),
    canIUse: () => true,
    ...storageApi(storage, report),
    ...requestApi(report, requests, network),
    ...network.api(),
    connectSocket: sockApi.connectSocket,
    ...files.api,
    ...fileSystemApi(storage.userData),
    ...systemApi(device, report, nextCode),
    ...uiApi(report, log, script),
    ...privacy.api,
    ...media.api,
    ...canvas.api,
  };
  g.wx = wx;
  if (g.window === undefined) g.window = globalThis;
  // The runtime's other globals: App() registers the app object that getApp() answers.
  let app: AppOptions = { globalData: {} };
  const previousGlobals = { App: g.App, getApp: g.getApp, getCurrentPages: g.getCurrentPages };
  g.App = (appOptions) => {
    app = appOptions;
  };
  g.getApp = () => app;
  const pageStack: WxHandles['pageStack'] = [];
  g.getCurrentPages = () => pageStack.map((p) => ({ route: p.route, options: { ...p.options } }));

  return Object.assign(log, mediaLog, canvasLog, {
    wx,
    storage,
    requests,
    downloads,
    documents,
    sockets,
    reportedErrors,
    script,
    privacy: privacy.handles,
    pageStack,
    liveSocketCount: sockApi.liveSocketCount,
    dropSockets: () => sockets.forEach((s) => s.dropConnection()),
    closeSockets: () => sockets.forEach((s) => s.close()),
    setOffline: (offline: boolean) => {
      network.set(offline);
      if (offline) sockets.forEach((s) => s.dropConnection());
    },
    uninstall: () => {
      sockets.forEach((s) => s.close());
      files.cleanup();
      media.cleanup();
      canvas.cleanup();
      g.wx = previous.wx;
      g.window = previous.window;
      Object.assign(g, previousGlobals);
    },
  });
}
