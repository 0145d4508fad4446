import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';

export interface DeviceOptions {
  /** WeChat's value: 'zh_CN', 'zh_TW', 'en', ... */
  language: string;
  windowWidth: number;
  windowHeight: number;
}

/** System information as a 375 x 812 phone reports it. */
export function systemApi(device: DeviceOptions, report: ErrorReporter, nextCode: () => string) {
  const { windowWidth, windowHeight, language } = device;
  const safeArea = { left: 0, right: windowWidth, top: 44, bottom: windowHeight - 34, width: windowWidth, height: windowHeight - 78 };
  const windowInfo = {
    pixelRatio: 2,
    screenWidth: windowWidth,
    screenHeight: windowHeight,
    windowWidth,
    windowHeight,
    statusBarHeight: 44,
    safeArea,
    screenTop: 0,
  };
  const appBase = {
    SDKVersion: '3.6.0',
    enableDebug: false,
    host: { env: 'WeChat' },
    language,
    version: '8.0.50',
    theme: 'light' as const,
    fontSizeSetting: 16,
  };
  const deviceInfo = {
    abi: 'arm64',
    benchmarkLevel: 1,
    brand: 'devtools',
    model: 'iPhone X',
    platform: 'ios',
    system: 'iOS 17.0',
    memorySize: 4096,
  };
  return {
    getWindowInfo: () => ({ ...windowInfo }),
    getAppBaseInfo: () => ({ ...appBase }),
    getDeviceInfo: () => ({ ...deviceInfo }),
    getSystemSetting: () => ({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }),
    getSystemInfoSync: () => ({ ...windowInfo, ...appBase, ...deviceInfo }),
    getSystemInfo: (o?: Callbacks<object>) =>
      settle(o, report, 'getSystemInfo', { ok: true, res: { ...windowInfo, ...appBase, ...deviceInfo, errMsg: 'getSystemInfo:ok' } }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: windowWidth - 7, bottom: 80, left: windowWidth - 94 }),
    nextTick: (fn: () => void) => later(fn),
    login: (o?: Callbacks<{ code: string; errMsg: string }>) =>
      new Promise((resolve) =>
        later(() => {
          resolve(settle(o, report, 'login', { ok: true, res: { code: nextCode(), errMsg: 'login:ok' } }));
        }),
      ),
  };
}
