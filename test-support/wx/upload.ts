import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import { OFFLINE_ERROR } from './network';

export interface UploadOptions extends Callbacks<UploadSuccess> {
  url: string;
  filePath: string;
  /** the multipart field the file goes in */
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, string | number>;
  timeout?: number;
}

export interface UploadSuccess {
  /** the response body as text, whatever its type (WeChat does not parse it) */
  data: string;
  statusCode: number;
  errMsg: string;
}

export interface UploadRecord {
  url: string;
  name: string;
  fileName: string;
  size: number;
  header: Record<string, string>;
  formData: Record<string, string>;
  statusCode?: number;
  errMsg?: string;
}

/**
 * A multipart/form-data body as WeChat's uploadFile writes it: the text fields, then the one file
 * part. Built by hand (not with the global FormData, which a jsdom page test replaces with its own).
 */
export function multipartBody(
  fields: Record<string, string>,
  file: { name: string; fileName: string; bytes: Uint8Array },
): { body: Buffer; contentType: string } {
  const boundary = `----WeChatFormBoundary${Math.random().toString(36).slice(2, 14)}`;
  const quote = (v: string) => v.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.fileName)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

type ProgressListener = (res: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void;

/**
 * wx.uploadFile over real HTTP: a multipart/form-data POST with the file under `name` (its file
 * name the temp file's) and `formData` as text fields, as WeChat sends it. Any HTTP status is a
 * `success` with the body as text; a transport failure or no network is `fail`.
 */
export function uploadApi(report: ErrorReporter, log: UploadRecord[], network: { offline: boolean }) {
  function uploadFile(opts: UploadOptions) {
    const fields = Object.fromEntries(Object.entries(opts.formData ?? {}).map(([k, v]) => [k, String(v)]));
    const record: UploadRecord = {
      url: opts.url,
      name: opts.name,
      fileName: basename(opts.filePath),
      size: 0,
      header: { ...(opts.header ?? {}) },
      formData: fields,
    };
    log.push(record);
    const listeners: ProgressListener[] = [];
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), opts.timeout ?? 60_000);
    const run = async (): Promise<UploadSuccess> => {
      if (network.offline) throw new Error(OFFLINE_ERROR);
      const bytes = readFileSync(opts.filePath);
      record.size = bytes.length;
      const { body, contentType } = multipartBody(fields, { name: opts.name, fileName: record.fileName, bytes });
      const headers = { ...record.header, 'content-type': contentType };
      const res = await fetch(opts.url, { method: 'POST', headers, body: new Uint8Array(body), signal: controller.signal });
      const data = await res.text();
      for (const l of listeners) {
        try {
          l({ progress: 100, totalBytesSent: bytes.length, totalBytesExpectedToSend: bytes.length });
        } catch (err) {
          report('uploadFile onProgressUpdate listener', err);
        }
      }
      return { data, statusCode: res.status, errMsg: 'uploadFile:ok' };
    };
    run().then(
      (res) => {
        clearTimeout(timer);
        if (network.offline) return fail(OFFLINE_ERROR);
        record.statusCode = res.statusCode;
        settle(opts, report, 'uploadFile', { ok: true, res });
      },
      (err: unknown) => {
        clearTimeout(timer);
        fail(controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'abort') : (err as Error).message);
      },
    );
    function fail(reason: string) {
      record.errMsg = `uploadFile:fail ${reason}`;
      settle(opts, report, 'uploadFile', { ok: false, errMsg: record.errMsg });
    }
    return {
      abort: () => controller.abort(new Error('abort')),
      onProgressUpdate: (l: ProgressListener) => void listeners.push(l),
      offProgressUpdate: () => void listeners.splice(0),
    };
  }
  return { uploadFile };
}
