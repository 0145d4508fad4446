/** Where the server lives; kept in storage so a tester can point the app elsewhere. */
const BASE_URL_KEY = 'liveCrm.baseUrl';

const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

export function getBaseUrl(): string {
  const stored: unknown = wx.getStorageSync(BASE_URL_KEY);
  if (typeof stored === 'string' && /^https?:\/\//.test(stored)) return stored.replace(/\/+$/, '');
  return DEFAULT_BASE_URL;
}

export function setBaseUrl(url: string): void {
  wx.setStorageSync(BASE_URL_KEY, url.replace(/\/+$/, ''));
}
