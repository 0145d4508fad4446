import type { CustomerStatus, ImportField } from '@live-crm/shared-types';
import { labelOf } from '../export/export.labels.js';
import { SHEETS } from '../export/export.sheets.js';
import { CUSTOMER_STATUSES } from '../customers/customer.schemas.js';

/** The template's columns, in order: the customer export's columns a person types in, with its labels. */
export const IMPORT_FIELDS: readonly ImportField[] = ['name', 'company', 'phone', 'email', 'status', 'address'];

const exportColumn = (field: ImportField) => {
  const column = SHEETS.customers.columns.find((c) => c.key === field);
  if (!column) throw new Error(`the customer export has no ${field} column`);
  return column;
};

export const TEMPLATE_COLUMNS = IMPORT_FIELDS.map((field) => {
  const column = exportColumn(field);
  return { field, header: column.header['zh-CN'], en: column.header.en, width: column.width };
});

/** How a header cell is compared: case, spaces and a required-field star do not matter. */
export const headerKey = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();

/**
 * Header text -> field: the template's Chinese headers, the export's English ones (an export can be
 * brought back in), the field names, and what people commonly write instead.
 */
const HEADERS = new Map<string, ImportField>();
const SYNONYMS: Record<ImportField, string[]> = {
  name: ['客户姓名', '客户名称', '名称', '客户'],
  company: ['公司名称', '单位', '企业', 'company name'],
  phone: ['手机', '手机号', '手机号码', '电话号码', '联系电话', 'mobile', 'tel', 'telephone'],
  email: ['电子邮箱', '电子邮件', '邮件', 'e-mail', 'mail'],
  status: ['客户状态'],
  address: ['联系地址', '地址信息'],
};
for (const c of TEMPLATE_COLUMNS) {
  for (const text of [c.header, c.en, c.field, ...SYNONYMS[c.field]]) HEADERS.set(headerKey(text), c.field);
}

export function fieldOfHeader(text: string): ImportField | undefined {
  return HEADERS.get(headerKey(text));
}

/** Status as a person writes it: the export's labels in either language, or the value itself. */
const STATUSES = new Map<string, CustomerStatus>();
for (const status of CUSTOMER_STATUSES) {
  for (const text of [status, labelOf('zh-CN', status), labelOf('en', status)]) STATUSES.set(headerKey(String(text)), status);
}

export function statusOf(text: string): CustomerStatus | undefined {
  return STATUSES.get(headerKey(text));
}

/** The labels a template offers in its status drop-down, in the value order. */
export const STATUS_LABELS: string[] = CUSTOMER_STATUSES.map((s) => String(labelOf('zh-CN', s)));
