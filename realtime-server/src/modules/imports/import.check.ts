import { phoneKey, type ImportRowData } from '@live-crm/models';
import type { ImportDuplicate, ImportErrorCode, ImportField, ImportRowError } from '@live-crm/shared-types';
import { storable } from '../../core/validate.js';
import { CustomerCreate, CUSTOMER_STATUSES } from '../customers/customer.schemas.js';
import { statusOf } from './import.columns.js';
import type { SheetRow } from './import.reader.js';

/** A row that passed the checks: its values as they would be stored. */
export interface CheckedRow {
  row: number;
  data: ImportRowData;
  phoneKey: string | null;
}

const codeOf = (field: ImportField, issue: string): ImportErrorCode => {
  if (issue === 'too_big') return 'too_long';
  if (field === 'phone') return 'invalid_phone';
  if (field === 'email') return 'invalid_email';
  if (field === 'status') return 'invalid_status';
  return 'required';
};

/**
 * One row against the rules of entry (the customer form's own schema), so an import accepts what
 * the form accepts and nothing else. Status may be written as its label in either language.
 */
export function checkRow({ row, cells }: SheetRow): { ok: CheckedRow } | { errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  for (const [field, text] of Object.entries(cells) as Array<[ImportField, string]>) {
    if (!storable(text)) errors.push({ row, field, code: 'unstorable', message: 'contains characters that cannot be stored' });
  }
  const statusText = cells.status?.trim() ?? '';
  const status = statusText ? statusOf(statusText) : undefined;
  if (statusText && !status) {
    errors.push({ row, field: 'status', code: 'invalid_status', message: `status must be one of ${CUSTOMER_STATUSES.join(', ')}` });
  }
  if (errors.length > 0) return { errors };
  const parsed = CustomerCreate.safeParse({
    name: cells.name ?? '',
    company: cells.company,
    phone: cells.phone,
    email: cells.email,
    address: cells.address,
  });
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => {
        const field = String(i.path[0] ?? 'name') as ImportField;
        return { row, field, code: codeOf(field, i.code), message: i.message };
      }),
    };
  }
  const v = parsed.data;
  const data: ImportRowData = {
    name: v.name,
    company: v.company ?? null,
    phone: v.phone ?? null,
    email: v.email ?? null,
    status: status ?? null,
    address: v.address ?? null,
  };
  return { ok: { row, data, phoneKey: phoneKey(data.phone) } };
}

/** What a row matched: a customer already in the tenant, or an earlier row of the same file. */
export type Match = { customerId: number; teamId: number; name: string } | { row: number };

export interface Classified {
  kind: 'valid' | 'duplicate';
  target: Match | null;
  conflict: boolean;
  finding: ImportDuplicate | null;
}

const same = (a: Match, b: Match): boolean =>
  'row' in a ? 'row' in b && a.row === b.row : 'customerId' in b && a.customerId === b.customerId;

/**
 * Duplicates within the file and against the tenant, by phone key (any spelling of one number) and
 * e-mail. A row repeating a duplicate points where that one points, so every duplicate names a row
 * that will be written or an existing customer.
 */
export function createDuplicateIndex(teamId: number) {
  const byPhone = new Map<string, Match>();
  const byEmail = new Map<string, Match>();
  return {
    classify(r: CheckedRow, tenant: { byPhone: Map<string, Match>; byEmail: Map<string, Match> }): Classified {
      const { phoneKey: key, data } = r;
      const viaPhone = key ? (tenant.byPhone.get(key) ?? byPhone.get(key)) : undefined;
      const viaEmail = data.email ? (tenant.byEmail.get(data.email) ?? byEmail.get(data.email)) : undefined;
      const target = viaPhone ?? viaEmail ?? null;
      const conflict = !!(viaPhone && viaEmail && !same(viaPhone, viaEmail));
      const own: Match = target ?? { row: r.row };
      if (key && !byPhone.has(key)) byPhone.set(key, own);
      if (data.email && !byEmail.has(data.email)) byEmail.set(data.email, own);
      if (!target) return { kind: 'valid', target: null, conflict: false, finding: null };
      const field = viaPhone ? 'phone' : 'email';
      const what = field === 'phone' ? 'phone number' : 'email';
      let finding: ImportDuplicate;
      if ('row' in target) {
        finding = { row: r.row, field, code: 'in_file', ofRow: target.row, message: `same ${what} as row ${target.row}` };
      } else if (target.teamId === teamId) {
        finding = {
          row: r.row,
          field,
          code: 'in_team',
          customerId: target.customerId,
          customerName: target.name,
          message: `${target.name} already has this ${what}`,
        };
      } else {
        finding = {
          row: r.row,
          field,
          code: 'other_team',
          message: `this ${what} belongs to a customer of another team; the row is left out`,
        };
      }
      return { kind: 'duplicate', target, conflict, finding };
    },
  };
}
