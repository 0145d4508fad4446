import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';

type AnyFn = (...args: any[]) => any;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let http: Server;
let base: string;
let xlsx: Buffer;

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('客户').addRow(['名称', '电话']);
  xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  http = createServer((req, res) => {
    if (req.url === '/sheet') {
      res.writeHead(200, { 'content-type': XLSX });
      res.end(xlsx);
      return;
    }
    if (req.url === '/list.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('a,b\n');
      return;
    }
    res.writeHead(410, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'gone', message: 'expired' } }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => http.close(r)));

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

describe('wx.downloadFile and wx.openDocument', () => {
  test('a download lands in a temp file named by its content type, and the viewer opens it', async () => {
    h = installWx();
    const got = await call<{ tempFilePath: string; statusCode: number }>('downloadFile', { url: `${base}/sheet` });
    expect(got).toMatchObject({ ok: true, res: { statusCode: 200 } });
    expect(got.res.tempFilePath).toMatch(/\.xlsx$/);
    expect(readFileSync(got.res.tempFilePath).equals(xlsx)).toBe(true);
    const opened = await call<{ errMsg: string }>('openDocument', { filePath: got.res.tempFilePath, fileType: 'xlsx', showMenu: true });
    expect(opened).toEqual({ ok: true, res: { errMsg: 'openDocument:ok' } });
    expect(h.documents).toEqual([{ filePath: got.res.tempFilePath, fileType: 'xlsx', showMenu: true }]);
    expect(h.downloads).toEqual([{ url: `${base}/sheet`, statusCode: 200, tempFilePath: got.res.tempFilePath }]);
  });

  test('an HTTP error still "succeeds" with its status; the saved error body does not open as xlsx', async () => {
    h = installWx();
    const got = await call<{ tempFilePath: string; statusCode: number }>('downloadFile', { url: `${base}/expired` });
    expect(got).toMatchObject({ ok: true, res: { statusCode: 410 } });
    const opened = await call<{ errMsg: string }>('openDocument', { filePath: got.res.tempFilePath, fileType: 'xlsx' });
    expect(opened.ok).toBe(false);
    expect(opened.res.errMsg).toBe('openDocument:fail file is not a valid xlsx');
    expect(h.documents).toEqual([]);
  });

  test('csv is not a type WeChat opens; a missing file fails; a dead port fails the download', async () => {
    h = installWx();
    const csv = await call<{ tempFilePath: string }>('downloadFile', { url: `${base}/list.csv` });
    expect(csv.res.tempFilePath).toMatch(/\.csv$/);
    const opened = await call<{ errMsg: string }>('openDocument', { filePath: csv.res.tempFilePath });
    expect(opened.res.errMsg).toBe('openDocument:fail filetype not supported: csv');
    const missing = await call<{ errMsg: string }>('openDocument', { filePath: '/nonexistent/x.xlsx' });
    expect(missing.res.errMsg).toBe('openDocument:fail file not exist');
    const dead = await call<{ errMsg: string }>('downloadFile', { url: 'http://127.0.0.1:1/x' });
    expect(dead.ok).toBe(false);
    expect(dead.res.errMsg).toMatch(/^downloadFile:fail /);
  });

  test('uninstall removes the temp files', async () => {
    h = installWx();
    const got = await call<{ tempFilePath: string }>('downloadFile', { url: `${base}/sheet` });
    h.uninstall();
    expect(existsSync(got.res.tempFilePath)).toBe(false);
  });
});
