import { BUILD } from './build-config';

/** A development build keeps a tester's choice of server in storage; a production build never asks. */
const BASE_URL_KEY = 'liveCrm.baseUrl';

export function isDevelopmentBuild(): boolean {
  return BUILD.mode === 'development';
}

export function getBaseUrl(): string {
  if (!isDevelopmentBuild()) return BUILD.serverUrl;
  const stored: unknown = wx.getStorageSync(BASE_URL_KEY);
  if (typeof stored === 'string' && /^https?:\/\//.test(stored)) return stored.replace(/\/+$/, '');
  return BUILD.serverUrl;
}

export function setBaseUrl(url: string): void {
  wx.setStorageSync(BASE_URL_KEY, url.replace(/\/+$/, ''));
}
