import type { Customer, CustomerInput, CustomerPatch, CustomerStatus } from '@live-crm/shared-types';
import { t } from '../../i18n/index';

/** What the inputs hold: text as typed. */
export interface FormValues {
  name: string;
  company: string;
  phone: string;
  email: string;
  status: CustomerStatus;
  address: string;
}

export type Field = keyof FormValues;
export type FieldErrors = Partial<Record<Field, string>>;

export const TEXT_FIELDS: Field[] = ['name', 'company', 'phone', 'email', 'address'];
/** The server's limits (customer.schemas.ts). */
const MAX: Record<Exclude<Field, 'status'>, number> = { name: 200, company: 200, phone: 32, email: 254, address: 500 };

export function emptyValues(): FormValues {
  return { name: '', company: '', phone: '', email: '', status: 'lead', address: '' };
}

export function valuesFrom(c: Customer): FormValues {
  return { name: c.name, company: c.company ?? '', phone: c.phone ?? '', email: c.email ?? '', status: c.status, address: c.address ?? '' };
}

/**
 * The shape check only: separators (`138-0000 0001`, full-width too) do not count. The number is
 * sent as typed; the server keeps it for display and compares it in E.164.
 */
const phoneDigits = (text: string): string => text.normalize('NFKC').replace(/[\s\-()./]/g, '');
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A pool customer's phone and e-mail reach a rep masked (`138****0001`): shown, never sent back. */
const masked = (text: string): boolean => text.includes('*');

export function validate(values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of TEXT_FIELDS) {
    const max = MAX[field as Exclude<Field, 'status'>];
    if (values[field].trim().length > max) errors[field] = t('customerForm.tooLong', { max });
  }
  if (!values.name.trim()) errors.name = t('customerForm.nameRequired');
  const phone = phoneDigits(values.phone);
  if (phone && !masked(phone) && !/^\+?\d{5,20}$/.test(phone)) errors.phone = t('customerForm.phoneInvalid');
  const email = values.email.trim();
  if (email && !masked(email) && !EMAIL.test(email)) errors.email = t('customerForm.emailInvalid');
  return errors;
}

const orNull = (text: string): string | null => text.trim() || null;

export function toInput(values: FormValues): CustomerInput {
  return {
    name: values.name.trim(),
    company: orNull(values.company),
    phone: orNull(values.phone),
    email: orNull(values.email.toLowerCase()),
    status: values.status,
    address: orNull(values.address),
  };
}

export function toPatch(values: FormValues, version: number): CustomerPatch {
  const { phone, email, ...rest } = toInput(values);
  return {
    ...rest,
    ...(masked(values.phone) ? {} : { phone }),
    ...(masked(values.email) ? {} : { email }),
    version,
  };
}

/**
 * The server's 400 `details.fields` ([{ path, message }]) as inline errors in the UI language:
 * our own check's wording when it agrees, else a plain one for that field.
 */
export function serverFieldErrors(details: unknown, values: FormValues, fallback?: string): FieldErrors {
  const fields = (details as { fields?: Array<{ path?: unknown }> } | null)?.fields;
  if (!Array.isArray(fields)) return {};
  const local = validate(values);
  const generic: Record<Field, string> = {
    name: t('customerForm.nameRequired'),
    company: t('customerForm.tooLong', { max: MAX.company }),
    phone: t('customerForm.phoneInvalid'),
    email: t('customerForm.emailInvalid'),
    status: t('error.validation'),
    address: t('customerForm.tooLong', { max: MAX.address }),
  };
  const errors: FieldErrors = {};
  for (const f of fields) {
    const field = String(f.path ?? '').split('.')[0] as Field;
    if (field in generic) errors[field] = fallback ?? local[field] ?? generic[field];
  }
  return errors;
}
