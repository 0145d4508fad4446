import { settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import { OFFLINE_ERROR } from './network';

export interface RequestOptions extends Callbacks<RequestSuccess> {
  url: string;
  data?: string | object | ArrayBuffer;
  header?: Record<string, string>;
  method?: string;
  dataType?: string;
  responseType?: 'text' | 'arraybuffer';
  timeout?: number;
}

export interface RequestSuccess {
  data: unknown;
  statusCode: number;
  header: Record<string, string>;
  cookies: string[];
  errMsg: string;
}

export interface RequestRecord {
  method: string;
  url: string;
  header: Record<string, string>;
  body: string | ArrayBuffer | undefined;
  statusCode?: number;
  errMsg?: string;
}

/** wx.request knows these methods only (no PATCH). */
const METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'];

function headerValue(header: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(header).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : header[key];
}

function queryString(data: object): string {
  return Object.entries(data)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** WeChat's rules: GET data goes to the query string; otherwise JSON unless the content type says form. */
function encode(method: string, url: string, header: Record<string, string>, data: RequestOptions['data']) {
  if (data === undefined) return { url, body: undefined };
  if (method === 'GET' || method === 'HEAD') {
    const qs = typeof data === 'string' ? data : data instanceof ArrayBuffer ? '' : queryString(data);
    return { url: qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url, body: undefined };
  }
  if (typeof data === 'string' || data instanceof ArrayBuffer) return { url, body: data };
  const form = (headerValue(header, 'content-type') ?? '').includes('x-www-form-urlencoded');
  return { url, body: form ? queryString(data) : JSON.stringify(data) };
}

function parse(text: string, dataType: string | undefined): unknown {
  if (dataType !== undefined && dataType !== 'json') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * wx.request over real HTTP (fetch): any HTTP status is a `success`; only a transport failure is `fail`.
 * With `network.offline`, nothing leaves the phone, and an answer arriving after the drop is lost.
 */
export function requestApi(report: ErrorReporter, log: RequestRecord[], network: { offline: boolean } = { offline: false }) {
  return {
    request(opts: RequestOptions) {
      const method = (opts.method ?? 'GET').toUpperCase();
      const header: Record<string, string> = { ...(opts.header ?? {}) };
      if (headerValue(header, 'content-type') === undefined) header['content-type'] = 'application/json';
      const { url, body } = encode(method, opts.url, header, opts.data);
      const record: RequestRecord = { method, url, header, body };
      log.push(record);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error('timeout')), opts.timeout ?? 60_000);
      const done = (outcome: { ok: true; res: RequestSuccess } | { ok: false; errMsg: string }) => {
        clearTimeout(timer);
        if (network.offline) outcome = { ok: false, errMsg: `request:fail ${OFFLINE_ERROR}` };
        if (outcome.ok) record.statusCode = outcome.res.statusCode;
        else record.errMsg = outcome.errMsg;
        settle(opts, report, 'request', outcome);
      };
      const run = async () => {
        if (!METHODS.includes(method)) throw new Error(`invalid method ${method}`);
        if (network.offline) throw new Error(OFFLINE_ERROR);
        const res = await fetch(url, { method, headers: header, body: body ?? null, signal: controller.signal });
        const resHeader: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          resHeader[k] = v;
        });
        const data = opts.responseType === 'arraybuffer' ? await res.arrayBuffer() : parse(await res.text(), opts.dataType);
        return { data, statusCode: res.status, header: resHeader, cookies: res.headers.getSetCookie(), errMsg: 'request:ok' };
      };
      run().then(
        (res) => done({ ok: true, res }),
        (err: unknown) => {
          const reason = controller.signal.aborted
            ? String((controller.signal.reason as Error)?.message ?? 'abort')
            : (err as Error).message;
          done({ ok: false, errMsg: `request:fail ${reason}` });
        },
      );
      return {
        abort: () => controller.abort(new Error('abort')),
        onHeadersReceived: () => undefined,
        offHeadersReceived: () => undefined,
      };
    },
  };
}
