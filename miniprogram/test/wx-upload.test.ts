import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';

type AnyFn = (...args: any[]) => any;
let http: Server;
let base: string;
let dir: string;
/** What the server saw of the last request. */
let seen: { method?: string; type?: string; length?: string; auth?: string; body: Buffer } = { body: Buffer.alloc(0) };

beforeAll(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = {
        method: req.method,
        type: req.headers['content-type'],
        length: req.headers['content-length'],
        auth: req.headers['authorization'],
        body: Buffer.concat(chunks),
      };
      res.writeHead(req.url === '/refuse' ? 413 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: req.url !== '/refuse' }));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'wx-upload-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => http.close(r));
});

let h: WxHandles;
afterEach(() => h?.uninstall());

const call = <T>(name: string, opts: object) =>
  new Promise<{ ok: boolean; res: T }>((resolve) =>
    (h.wx[name] as AnyFn)({
      ...opts,
      success: (res: T) => resolve({ ok: true, res }),
      fail: (res: T) => resolve({ ok: false, res }),
    }),
  );

describe('wx.chooseMessageFile and wx.uploadFile', () => {
  test('a file picked from a chat is uploaded as one multipart part under `name`, with formData and headers, and the body comes back as text', async () => {
    h = installWx({ privacyAgreed: true });
    const file = join(dir, '客户.xlsx');
    writeFileSync(file, Buffer.from('PK\x03\x04 pretend workbook'));
    h.script.messageFiles.push(file);
    const picked = await call<{ tempFiles: Array<{ path: string; size: number; name: string }> }>('chooseMessageFile', {
      count: 1,
      type: 'file',
      extension: ['xlsx', 'csv'],
    });
    expect(picked.ok).toBe(true);
    expect(picked.res.tempFiles).toEqual([expect.objectContaining({ path: file, name: '客户.xlsx', size: 21, type: 'file' })]);

    const sent = await call<{ data: string; statusCode: number }>('uploadFile', {
      url: `${base}/upload`,
      filePath: file,
      name: 'file',
      header: { Authorization: 'Bearer t0k3n' },
      formData: { teamId: 7 },
    });
    expect(sent).toEqual({ ok: true, res: { data: '{"ok":true}', statusCode: 202, errMsg: 'uploadFile:ok' } });
    expect(seen).toMatchObject({ method: 'POST', auth: 'Bearer t0k3n', length: String(seen.body.length) });
    expect(seen.type).toMatch(/^multipart\/form-data; boundary=/);
    const body = seen.body.toString('utf8');
    expect(body).toContain('name="teamId"\r\n\r\n7\r\n');
    expect(body).toContain(
      'name="file"; filename="客户.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\nPK\x03\x04 pretend workbook\r\n',
    );
    expect(h.uploads).toEqual([expect.objectContaining({ name: 'file', filePath: file, statusCode: 202 })]);
  });

  test('any HTTP status is a success; no network is a fail; cancelling the picker fails with cancel', async () => {
    h = installWx({ privacyAgreed: true });
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'a,b\n');
    const refused = await call<{ statusCode: number }>('uploadFile', { url: `${base}/refuse`, filePath: file, name: 'file' });
    expect(refused).toMatchObject({ ok: true, res: { statusCode: 413 } });
    h.setOffline(true);
    const offline = await call<{ errMsg: string }>('uploadFile', { url: `${base}/upload`, filePath: file, name: 'file' });
    expect(offline).toEqual({ ok: false, res: { errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' } });
    const cancelled = await call<{ errMsg: string }>('chooseMessageFile', { count: 1, type: 'file' });
    expect(cancelled).toEqual({ ok: false, res: { errMsg: 'chooseMessageFile:fail cancel' } });
  });

  test('chooseMessageFile waits for privacy consent like every privacy API', async () => {
    h = installWx();
    const file = join(dir, 'b.csv');
    writeFileSync(file, 'a\n');
    h.script.messageFiles.push(file);
    h.script.privacyPopupAnswers.push('disagree');
    const refused = await call<{ errMsg: string }>('chooseMessageFile', { count: 1, type: 'file' });
    expect(refused).toEqual({ ok: false, res: { errMsg: 'chooseMessageFile:fail privacy permission is not authorized' } });
    expect(h.privacy.platformPopups).toEqual(['chooseMessageFile']);
  });
});
