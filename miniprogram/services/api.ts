import { pathOf } from '../utils/links';
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

/** The login page; `next` is the page to return to after sign-in. */
export function loginUrl(next?: string): string {
  return next ? `${LOGIN_PAGE}?next=${encodeURIComponent(next)}` : LOGIN_PAGE;
}

/** The page on top, to come back to after signing in again. */
function currentPath(): string | undefined {
  const pages = getCurrentPages();
  const top = pages[pages.length - 1];
  return top?.route ? pathOf(`/${top.route}`, top.options as Record<string, string | undefined>) : undefined;
}
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

/** The token is gone or expired (REST 401, or the socket refused it): sign in again, then come back to the page. */
export function backToLogin(): void {
  clearSession();
  wx.reLaunch({ url: loginUrl(currentPath()) });
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
        if (res.statusCode === 401 && token) backToLogin();
        reject(errorFromResponse(res.statusCode, res.data));
      },
      fail: (res) => reject(networkError(res.errMsg)),
    });
  });
}

/**
 * `wx.uploadFile`: multipart/form-data with one file field (`file`), what POST /api/crm/attachments
 * takes. The Idempotency-Key makes a replayed upload (the offline queue) answer the first photo.
 */
export function upload<T>(path: string, filePath: string, idempotencyKey: string): Promise<T> {
  const header: Record<string, string> = { 'Idempotency-Key': idempotencyKey };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise<T>((resolve, reject) => {
    wx.uploadFile({
      url: `${getBaseUrl()}${path}`,
      filePath,
      name: 'file',
      header,
      timeout: TIMEOUT_MS * 4,
      success: (res) => {
        let data: unknown = null;
        try {
          data = JSON.parse(res.data);
        } catch {
          /* not the contract's body: told by the status */
        }
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(data as T);
        if (res.statusCode === 401 && token) backToLogin();
        reject(errorFromResponse(res.statusCode, data));
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
