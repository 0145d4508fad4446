import ExcelJS from 'exceljs';
import { http } from '../support/clients.js';

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** As `wx.downloadFile` fetches it: a plain GET with no Authorization header. */
export async function download(url: string): Promise<Download> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Reads the workbook back with exceljs: each sheet's rows as arrays of cell values, header first. */
export async function readSheets(body: Buffer): Promise<Array<{ name: string; rows: unknown[][] }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => v ?? null)));
    return { name: ws.name, rows };
  });
}

export async function exportLink(url: string, token: string, body: unknown): Promise<{ status: number; url: string; body: any }> {
  const res = await http(url, 'POST', '/api/crm/export', { token, body });
  return { status: res.status, url: res.body?.downloadUrl ?? '', body: res.body };
}

/** The token inside a download URL, split into its payload (decoded) and signature. */
export function tokenParts(downloadUrl: string) {
  const token = new URL(downloadUrl).searchParams.get('token')!;
  const [payload, signature] = token.split('.') as [string, string];
  return { token, payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>, signature };
}

export function withToken(downloadUrl: string, token: string): string {
  const u = new URL(downloadUrl);
  u.searchParams.set('token', token);
  return u.toString();
}
