import type { ActivityLocation, ActivityLogRequest, Id, LoggableActivityType } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { pickerToIso } from '../customer-detail/profile';

/** The chips of the 写跟进 sheet, in the order a rep reaches for them. */
export const RECORD_TYPES: LoggableActivityType[] = ['call', 'visit', 'wechat', 'email', 'meeting', 'other'];

export interface RecordValues {
  customerId: Id;
  type: LoggableActivityType;
  content: string;
  photos: string[];
  contactId: Id | null;
  opportunityId: Id | null;
  /** the picker's China-time text, '' for none */
  next: string;
  mentions: Id[];
  place: ActivityLocation | null;
}

export type RecordErrors = Partial<Record<'content' | 'place' | 'next', string>>;

export function typeChips(active: LoggableActivityType) {
  return RECORD_TYPES.map((value) => ({ value, label: t(`activity.${value}`), active: value === active }));
}

export function validateRecord(v: RecordValues, now = Date.now()): RecordErrors {
  const errors: RecordErrors = {};
  if (!v.content.trim()) errors.content = t('record.contentRequired');
  if (v.type === 'visit' && !v.place) errors.place = t('record.placeRequired');
  const next = v.next ? pickerToIso(v.next) : null;
  if (v.next && (!next || Date.parse(next) <= now)) errors.next = t('followUp.pastTime');
  return errors;
}

/** What the server takes (the photos still as files: they go up right before the record). */
export function toRequest(v: RecordValues): ActivityLogRequest {
  const next = v.next ? pickerToIso(v.next) : null;
  return {
    customerId: v.customerId,
    type: v.type,
    content: v.content.trim(),
    ...(v.photos.length ? { photos: [...v.photos] } : {}),
    ...(v.contactId !== null ? { contactId: v.contactId } : {}),
    ...(v.opportunityId !== null ? { opportunityId: v.opportunityId } : {}),
    ...(next ? { nextFollowUpAt: next } : {}),
    ...(v.mentions.length ? { mentions: [...v.mentions] } : {}),
    ...(v.place ? { location: v.place } : {}),
  };
}

/** A place as one line: its name, else its address, else its coordinates. */
export function placeLabel(p: ActivityLocation | null): string {
  if (!p) return '';
  return p.name || p.address || `${p.latitude.toFixed(4)}, ${p.longitude.toFixed(4)}`;
}
