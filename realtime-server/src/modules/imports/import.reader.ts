import { Readable } from 'node:stream';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import type { ImportField } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';
import { fieldOfHeader, TEMPLATE_COLUMNS } from './import.columns.js';

export const MAX_DATA_ROWS = 10_000;
/** Records read at most, blank ones included: 5 MB of empty lines stops here, not at the end. */
const MAX_RECORDS = 50_000;
/** Columns looked at for headers: a sheet 16,384 columns wide is read no further than this. */
const MAX_COLUMNS = 64;

/** Why an upload was refused before any row was checked; the phone says it in its language. */
export type UploadRefusal = 'not_spreadsheet' | 'xls' | 'empty' | 'no_header' | 'too_many_rows' | 'too_large' | 'no_file';

export const refused = (reason: UploadRefusal, message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError(reason === 'too_large' ? 'payload_too_large' : 'validation', message, { details: { reason, ...extra } });

export interface SheetRow {
  /** The row number a person sees in the spreadsheet. */
  row: number;
  cells: Partial<Record<ImportField, string>>;
}

export interface ParsedSheet {
  format: 'xlsx' | 'csv';
  rows: SheetRow[];
}

const NOT_SPREADSHEET = 'This file is not a spreadsheet: upload the .xlsx template (or a .csv) with the customers in it';
const HEADERS = TEMPLATE_COLUMNS.map((c) => c.header).join(', ');

/** What a cell shows as text. A formula is its last computed value, never a formula; without one, its text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['richText'])) return (v['richText'] as Array<{ text?: unknown }>).map((r) => cellText(r.text)).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      if (v['result'] !== undefined) return cellText(v['result']);
      return typeof v['formula'] === 'string' ? `=${v['formula']}` : '';
    }
    if ('error' in v) return cellText(v['error']);
    if ('text' in v) return cellText(v['text']);
  }
  return '';
}

const isBlank = (cells: string[]): boolean => cells.every((c) => c.trim() === '');

/**
 * Turns records (arrays of cell texts with their row numbers) into rows: the first non-blank record
 * is the header, the non-blank ones after it are data. Stops as soon as the sheet has too many rows.
 */
function collector() {
  let columns: Array<ImportField | undefined> | null = null;
  let records = 0;
  const rows: SheetRow[] = [];
  return {
    rows,
    get hasHeader() {
      return columns !== null;
    },
    /** One record; throws once the sheet holds more than an import takes. */
    add(row: number, cells: string[]): void {
      if (++records > MAX_RECORDS)
        throw refused('too_many_rows', `A sheet can hold at most ${MAX_DATA_ROWS} customers`, { limit: MAX_DATA_ROWS });
      const texts = cells.slice(0, MAX_COLUMNS);
      if (isBlank(texts)) return;
      if (!columns) {
        columns = texts.map((t) => fieldOfHeader(t));
        if (!columns.includes('name')) {
          throw refused('no_header', `The first row must hold the template's headers (${HEADERS}); no 姓名 (name) column was found`);
        }
        return;
      }
      if (rows.length === MAX_DATA_ROWS) {
        throw refused('too_many_rows', `A sheet can hold at most ${MAX_DATA_ROWS} customers; split it into several files`, {
          limit: MAX_DATA_ROWS,
        });
      }
      const entry: SheetRow = { row, cells: {} };
      columns.forEach((field, i) => {
        // The first column of a field wins; a repeated header is left alone.
        if (field && entry.cells[field] === undefined) entry.cells[field] = texts[i] ?? '';
      });
      rows.push(entry);
    },
  };
}

function finish(format: ParsedSheet['format'], c: ReturnType<typeof collector>): ParsedSheet {
  if (c.rows.length === 0) throw refused('empty', 'The sheet has no customers in it: fill in rows under the headers');
  return { format, rows: c.rows };
}

/** exceljs's streaming reader: the sheet is read as it unzips, so a huge sheet stops at the row cap. */
async function readXlsx(bytes: Buffer): Promise<ParsedSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let sheets = 0;
  let c = collector();
  try {
    for await (const worksheet of reader) {
      sheets += 1;
      c = collector();
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        c.add(row.number, values.slice(1).map(cellText));
      }
      // The first sheet with rows is the data (a second sheet may hold notes).
      if (c.hasHeader) break;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw refused('not_spreadsheet', NOT_SPREADSHEET);
  }
  if (sheets === 0) throw refused('not_spreadsheet', NOT_SPREADSHEET);
  return finish('xlsx', c);
}

/** Control characters no text file has (tab, line feed, form feed and carriage return aside). */
function isBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d)) return true;
  }
  return false;
}

/** UTF-8 (with or without BOM); GB18030 (Excel's "CSV" on a Chinese Windows) when it is not UTF-8. */
function decodeText(bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let text: string | null = null;
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(body);
      break;
    } catch {
      // try the next one
    }
  }
  if (text === null || isBinary(text)) throw refused('not_spreadsheet', NOT_SPREADSHEET);
  return text;
}

async function readCsv(bytes: Buffer): Promise<ParsedSheet> {
  const text = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const c = collector();
  let record = 0;
  try {
    for await (const cells of parseString(text, { delimiter, ignoreEmpty: false, trim: false, headers: false })) {
      c.add(++record, (cells as unknown[]).map(cellText));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw refused(
      'not_spreadsheet',
      `This CSV could not be read (${(err as Error).message}); save it again from Excel or use the .xlsx template`,
    );
  }
  return finish('csv', c);
}

/** Reads an upload by its bytes, whatever its name says: a zip is an xlsx, text is a CSV. */
export function readSheet(bytes: Buffer): Promise<ParsedSheet> {
  if (bytes.length === 0) return Promise.reject(refused('empty', 'The file is empty'));
  const head = bytes.subarray(0, 4).toString('hex');
  if (head === '504b0304') return readXlsx(bytes);
  if (head === 'd0cf11e0') {
    return Promise.reject(
      refused('xls', 'Excel 97-2003 (.xls) files cannot be read: save the sheet as an Excel Workbook (.xlsx) and upload that'),
    );
  }
  return readCsv(bytes);
}
