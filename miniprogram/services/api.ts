import { errorFromResponse, networkError } from './api-error';
import { getBaseUrl } from './config';
import { clearSession, getToken } from './session';

export { ApiError, isApiError } from './api-error';

export type Query = Record<string, string | number | boolean | null | undefined>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  query?: Query;
  body?: object;
  /** Sent again on a retry of the same action, so the server applies it once (see newIdempotencyKey). */
  idempotencyKey?: string;
}

export const LOGIN_PAGE = '/pages/login/index';
const TIMEOUT_MS = 15_000;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts = Object.keys(query)
    .filter((key) => query[key] !== undefined && query[key] !== null)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A repeat of the same mutation (e.g. a flaky network) must not apply twice. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** 401: the token is gone or expired; start over from the login page. */
function onUnauthorized(): void {
  clearSession();
  wx.reLaunch({ url: LOGIN_PAGE });
}

/** wx.request has no PATCH: it travels as POST with X-HTTP-Method-Override, which the server honours. */
function wireMethod(method: Method, header: Record<string, string>): WechatMiniprogram.RequestOption['method'] {
  if (method !== 'PATCH') return method;
  header['X-HTTP-Method-Override'] = 'PATCH';
  return 'POST';
}

export function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const header: Record<string, string> = { 'content-type': 'application/json' };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;
  if (method !== 'GET') header['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: `${getBaseUrl()}${path}${queryString(options.query)}`,
      method: wireMethod(method, header),
      header,
      timeout: TIMEOUT_MS,
      dataType: 'json',
      ...(options.body ? { data: options.body as WechatMiniprogram.IAnyObject } : {}),
      success: (res) => {
        // The JSON boundary: the contract says what the body is.
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(res.data as T);
        if (res.statusCode === 401 && token) onUnauthorized();
        reject(errorFromResponse(res.statusCode, res.data));
      },
      fail: (res) => reject(networkError(res.errMsg)),
    });
  });
}

export const api = {
  get: <T>(path: string, query?: Query): Promise<T> => request<T>('GET', path, query ? { query } : {}),
  /** Sign-in and reads that need a body (a report, an export link); every write is a command (commands.ts). */
  post: <T>(path: string, body: object): Promise<T> => request<T>('POST', path, { body }),
};
