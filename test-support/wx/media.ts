import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import type { NetworkState } from './network';
import { OFFLINE_ERROR } from './network';

export interface UploadOptions extends Callbacks<UploadSuccess> {
  url: string;
  filePath: string;
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, string>;
  timeout?: number;
}

export interface UploadSuccess {
  data: string;
  statusCode: number;
  errMsg: string;
}

export interface UploadRecord {
  url: string;
  filePath: string;
  name: string;
  statusCode?: number;
  errMsg?: string;
}

/** A photo the user picks in wx.chooseMedia's album or camera: a file on disk. */
export interface PickedMedia {
  path: string;
}

/** What wx.chooseLocation answers when the user picks a place. */
export interface PickedPlace {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

export interface MediaScript {
  /** the photos the next wx.chooseMedia answers (none queued: the user cancels) */
  mediaAnswers: PickedMedia[][];
  /** the place the next wx.chooseLocation answers ('cancel', or none queued: the user backs out) */
  locationAnswers: Array<PickedPlace | 'cancel'>;
}

export interface MediaLog {
  uploads: UploadRecord[];
  /** each wx.previewImage: the urls and the one shown first */
  previews: Array<{ urls: string[]; current?: string }>;
  /** each wx.compressImage: the source and the quality asked */
  compressions: Array<{ src: string; quality?: number }>;
}

/**
 * The multipart body written out by hand: page tests run under jsdom, whose FormData and Blob the
 * runtime's fetch cannot send.
 */
function multipart(field: string, filePath: string, fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----wxupload${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${basename(filePath)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    readFileSync(filePath),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Gate = <S>(name: string, o: Callbacks<S> | undefined, run: () => { ok: true; res: S } | { ok: false; errMsg: string }) => unknown;

/**
 * Photos and places. wx.chooseMedia and wx.chooseLocation are privacy APIs (held by `gated` until
 * consent) answered from the script; wx.compressImage writes a copy (WeChat re-encodes; the bytes stay
 * an image); wx.uploadFile sends real multipart/form-data with the one file field, over real HTTP.
 */
export function mediaApi(report: ErrorReporter, network: NetworkState, script: MediaScript, log: MediaLog, gated: Gate) {
  let dir: string | null = null;
  const tempDir = () => (dir ??= mkdtempSync(join(tmpdir(), 'wx-media-')));
  let count = 0;
  const ok = <E extends object>(name: string, extra: E) => ({ ok: true as const, res: { errMsg: `${name}:ok`, ...extra } });

  function uploadFile(opts: UploadOptions) {
    const record: UploadRecord = { url: opts.url, filePath: opts.filePath, name: opts.name };
    log.uploads.push(record);
    const run = async (): Promise<UploadSuccess> => {
      if (network.offline) throw new Error(OFFLINE_ERROR);
      if (!existsSync(opts.filePath)) throw new Error('file not found');
      const { body, contentType } = multipart(opts.name, opts.filePath, opts.formData ?? {});
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { ...(opts.header ?? {}), 'content-type': contentType },
        body: new Uint8Array(body),
      });
      return { data: await res.text(), statusCode: res.status, errMsg: 'uploadFile:ok' };
    };
    run().then(
      (res) => {
        record.statusCode = res.statusCode;
        settle(opts, report, 'uploadFile', { ok: true, res });
      },
      (err: unknown) => {
        record.errMsg = `uploadFile:fail ${(err as Error).message}`;
        settle(opts, report, 'uploadFile', { ok: false, errMsg: record.errMsg });
      },
    );
    return { abort: () => undefined, onProgressUpdate: () => undefined, offProgressUpdate: () => undefined };
  }

  const api = {
    uploadFile,
    chooseMedia: (
      o: { count?: number } & Callbacks<{
        errMsg: string;
        type: string;
        tempFiles: Array<{ tempFilePath: string; size: number; fileType: string }>;
      }>,
    ) =>
      gated('chooseMedia', o, () => {
        const picked = script.mediaAnswers.shift();
        if (!picked) return { ok: false, errMsg: 'chooseMedia:fail cancel' };
        const tempFiles = picked.slice(0, o.count ?? 9).map((m) => {
          const tempFilePath = join(tempDir(), `tmp_${++count}${extname(m.path)}`);
          copyFileSync(m.path, tempFilePath);
          return { tempFilePath, size: readFileSync(tempFilePath).length, fileType: 'image' };
        });
        return ok('chooseMedia', { type: 'image', tempFiles });
      }),
    chooseLocation: (o: Callbacks<PickedPlace & { errMsg: string }>) =>
      gated('chooseLocation', o, () => {
        const place = script.locationAnswers.shift();
        if (!place || place === 'cancel') return { ok: false, errMsg: 'chooseLocation:fail cancel' };
        return ok('chooseLocation', place);
      }),
    compressImage: (o: { src: string; quality?: number } & Callbacks<{ tempFilePath: string; errMsg: string }>) =>
      new Promise((resolve) =>
        later(() => {
          log.compressions.push({ src: o.src, ...(o.quality !== undefined ? { quality: o.quality } : {}) });
          if (!existsSync(o.src))
            return resolve(settle(o, report, 'compressImage', { ok: false, errMsg: 'compressImage:fail file not found' }));
          const tempFilePath = join(tempDir(), `tmp_${++count}${extname(o.src)}`);
          copyFileSync(o.src, tempFilePath);
          resolve(settle(o, report, 'compressImage', ok('compressImage', { tempFilePath })));
        }),
      ),
    previewImage: (o: { urls: string[]; current?: string } & Callbacks<{ errMsg: string }>) =>
      new Promise((resolve) =>
        later(() => {
          log.previews.push({ urls: [...o.urls], ...(o.current !== undefined ? { current: o.current } : {}) });
          resolve(settle(o, report, 'previewImage', ok('previewImage', {})));
        }),
      ),
  };
  return {
    api,
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
