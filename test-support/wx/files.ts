import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';

export interface DownloadOptions extends Callbacks<DownloadSuccess> {
  url: string;
  header?: Record<string, string>;
  timeout?: number;
}

export interface DownloadSuccess {
  tempFilePath: string;
  statusCode: number;
  dataLength: number;
  errMsg: string;
}

export interface DownloadRecord {
  url: string;
  statusCode?: number;
  tempFilePath?: string;
  errMsg?: string;
}

export interface OpenDocumentOptions extends Callbacks<{ errMsg: string }> {
  filePath: string;
  fileType?: string;
  showMenu?: boolean;
}

export interface OpenedDocument {
  filePath: string;
  fileType: string;
  showMenu: boolean;
}

/** What wx.openDocument opens (not csv, not txt). */
export const DOCUMENT_TYPES = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf'] as const;

const MIME_EXT: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.ms-excel': 'xls',
  'application/msword': 'doc',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/pdf': 'pdf',
  'application/json': 'json',
  'text/plain': 'txt',
  'text/html': 'html',
};

/** Like WeChat, the temp file's extension follows the response's content type, else the URL's. */
function extensionFor(url: string, contentType: string | null): string {
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const byMime = MIME_EXT[mime];
  if (byMime) return `.${byMime}`;
  return extname(new URL(url).pathname);
}

/** The file's first bytes must match its type: a viewer cannot open an error page saved as .xlsx. */
function contentMatches(type: string, bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4).toString('hex');
  if (['docx', 'xlsx', 'pptx'].includes(type)) return head === '504b0304'; // ZIP (Office Open XML)
  if (['doc', 'xls', 'ppt'].includes(type)) return head === 'd0cf11e0'; // OLE compound file
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

/**
 * wx.downloadFile over real HTTP into a real temp file (WeChat's `wxfile://tmp_...` is a path here,
 * so a test can read it back); any HTTP status is a `success`, as in WeChat. wx.openDocument
 * records what it was asked to open and refuses what WeChat's viewer refuses.
 */
export function filesApi(report: ErrorReporter, downloads: DownloadRecord[], documents: OpenedDocument[]) {
  let dir: string | null = null;
  const tempDir = () => (dir ??= mkdtempSync(join(tmpdir(), 'wx-files-')));
  let count = 0;

  function downloadFile(opts: DownloadOptions) {
    const record: DownloadRecord = { url: opts.url };
    downloads.push(record);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), opts.timeout ?? 60_000);
    const run = async (): Promise<DownloadSuccess> => {
      const res = await fetch(opts.url, { headers: opts.header ?? {}, signal: controller.signal });
      const bytes = Buffer.from(await res.arrayBuffer());
      const tempFilePath = join(tempDir(), `tmp_${++count}${extensionFor(opts.url, res.headers.get('content-type'))}`);
      writeFileSync(tempFilePath, bytes);
      return { tempFilePath, statusCode: res.status, dataLength: bytes.length, errMsg: 'downloadFile:ok' };
    };
    run().then(
      (res) => {
        clearTimeout(timer);
        Object.assign(record, { statusCode: res.statusCode, tempFilePath: res.tempFilePath });
        settle(opts, report, 'downloadFile', { ok: true, res });
      },
      (err: unknown) => {
        clearTimeout(timer);
        const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'abort') : (err as Error).message;
        record.errMsg = `downloadFile:fail ${reason}`;
        settle(opts, report, 'downloadFile', { ok: false, errMsg: record.errMsg });
      },
    );
    return { abort: () => controller.abort(new Error('abort')), onProgressUpdate: () => undefined, offProgressUpdate: () => undefined };
  }

  function openDocument(opts: OpenDocumentOptions) {
    const fail = (why: string) =>
      Promise.resolve().then(() => settle(opts, report, 'openDocument', { ok: false, errMsg: `openDocument:fail ${why}` }));
    if (!existsSync(opts.filePath)) return fail('file not exist');
    const fileType = (opts.fileType ?? extname(opts.filePath).slice(1)).toLowerCase();
    if (!(DOCUMENT_TYPES as readonly string[]).includes(fileType)) return fail(`filetype not supported: ${fileType || 'none'}`);
    if (!contentMatches(fileType, readFileSync(opts.filePath))) return fail(`file is not a valid ${fileType}`);
    documents.push({ filePath: opts.filePath, fileType, showMenu: opts.showMenu ?? false });
    return Promise.resolve().then(() => settle(opts, report, 'openDocument', { ok: true, res: { errMsg: 'openDocument:ok' } }));
  }

  return {
    api: { downloadFile, openDocument },
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
