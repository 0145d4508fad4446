import ExcelJS from 'exceljs';
import type { ImportAccepted, ImportReport } from '@live-crm/shared-types';
import { multipartBody } from '../../../test-support/wx/upload.js';

/** The template's headers, as a person sees them. */
export const HEADERS = ['姓名', '公司', '电话', '邮箱', '状态', '地址'];

/** A workbook like one a person fills in: a header row, then rows of cell values (formulas allowed). */
export async function xlsxOf(rows: ExcelJS.CellValue[][], header: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(header);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `n` distinct mainland mobiles, from a prefix no seeded customer uses. */
export function mobiles(n: number, prefix = '1370'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(11 - prefix.length, '0')}`);
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** As wx.uploadFile sends it: multipart/form-data, the file in the field `file`. */
export async function upload(
  url: string,
  token: string,
  bytes: Buffer | Uint8Array,
  fileName = 'customers.xlsx',
  fields: Record<string, string> = {},
): Promise<Answer> {
  const { body, contentType } = multipartBody(fields, { name: 'file', fileName, bytes });
  const res = await fetch(`${url}/api/crm/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function report(url: string, token: string, id: number): Promise<Answer<{ import: ImportReport }>> {
  const res = await fetch(`${url}/api/crm/imports/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { import: ImportReport }, headers: res.headers };
}

/** Uploads and waits until the server has checked every row; the report as the uploader reads it. */
export async function checked(url: string, token: string, bytes: Buffer, fileName = 'customers.xlsx'): Promise<ImportReport> {
  const accepted = await upload(url, token, bytes, fileName);
  if (accepted.status !== 202) throw new Error(`upload answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  return ready(url, token, (accepted.body as ImportAccepted).import.id);
}

export async function ready(url: string, token: string, id: number, timeoutMs = 20_000): Promise<ImportReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await report(url, token, id);
    if (r.status !== 200) throw new Error(`report answered ${r.status}: ${JSON.stringify(r.body)}`);
    if (r.body.import.status !== 'checking') return r.body.import;
    if (Date.now() > deadline) throw new Error(`import ${id} still checking after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function apply(
  url: string,
  token: string,
  id: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<{ import: ImportReport }>> {
  const res = await fetch(`${url}/api/crm/imports/${id}/apply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { import: ImportReport }, headers: res.headers };
}
