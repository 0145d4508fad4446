import type { Id, Opportunity, OpportunityInput, OpportunityPatch } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { centsToYuanInput, groupYuanInput, parseYuanToCents } from '../../utils/format';

export const TITLE_MAX = 200;

/** What the inputs hold: text as typed. */
export interface FormValues {
  title: string;
  customerId: Id | null;
  customerName: string;
  value: string;
  stageId: Id | null;
  closeDate: string;
}

export type Field = 'title' | 'customer' | 'value' | 'closeDate';
export type FieldErrors = Partial<Record<Field, string>>;

export function emptyValues(): FormValues {
  return { title: '', customerId: null, customerName: '', value: '', stageId: null, closeDate: '' };
}

export function valuesFrom(opp: Opportunity): FormValues {
  return {
    title: opp.title,
    customerId: opp.customerId,
    customerName: opp.customerName,
    value: groupYuanInput(centsToYuanInput(opp.valueCents)),
    stageId: opp.stageId,
    closeDate: opp.expectedCloseDate ?? '',
  };
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** Inline errors for the fields; creating also needs a customer. */
export function validate(values: FormValues, creating: boolean): FieldErrors {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = t('form.titleRequired');
  else if (title.length > TITLE_MAX) errors.title = t('form.titleTooLong', { max: TITLE_MAX });
  if (creating && values.customerId === null) errors.customer = t('form.customerRequired');
  if (parseYuanToCents(values.value) === null) errors.value = t('form.valueInvalid');
  if (values.closeDate.trim() && !isCalendarDate(values.closeDate.trim())) errors.closeDate = t('form.dateInvalid');
  return errors;
}

export function toInput(values: FormValues): OpportunityInput {
  return {
    customerId: values.customerId ?? 0,
    title: values.title.trim(),
    valueCents: parseYuanToCents(values.value) ?? 0,
    ...(values.stageId !== null ? { stageId: values.stageId } : {}),
    expectedCloseDate: values.closeDate.trim() || null,
  };
}

export function toPatch(values: FormValues, version: number): OpportunityPatch {
  const { title, valueCents, expectedCloseDate } = toInput(values);
  return { title, valueCents, expectedCloseDate, version };
}

const fieldByPath: Record<string, Field> = {
  title: 'title',
  customerId: 'customer',
  valueCents: 'value',
  expectedCloseDate: 'closeDate',
};

/** The server's 400 `details.fields` ([{ path, message }]) as inline errors in the UI language. */
export function serverFieldErrors(details: unknown, values: FormValues, creating: boolean): FieldErrors {
  const fields = (details as { fields?: Array<{ path?: string }> } | null)?.fields;
  if (!Array.isArray(fields)) return {};
  const local = validate(values, creating);
  const generic: Record<Field, string> = {
    title: t('form.titleRequired'),
    customer: t('form.customerRequired'),
    value: t('form.valueInvalid'),
    closeDate: t('form.dateInvalid'),
  };
  const errors: FieldErrors = {};
  for (const f of fields) {
    const field = fieldByPath[String(f.path ?? '').split('.')[0] ?? ''];
    if (field) errors[field] = local[field] ?? generic[field];
  }
  return errors;
}
