import type { Customer, PresenceViewer } from '@live-crm/shared-types';
import { locale, t } from '../../i18n/index';
import { SHANGHAI_OFFSET_MIN } from '../../utils/format';
import { formatRelative } from '../../utils/relative-time';
import { rowOf } from '../customers/rows';
import type { Row } from '../customers/rows';

/** The profile card: a list row's head, plus the contact details. */
export interface Profile extends Pick<Row, 'name' | 'initial' | 'tone' | 'company' | 'statusLabel' | 'statusTheme'> {
  phone: string;
  email: string;
  address: string;
  lastContact: string;
  owner: string;
  /** what a tap copies: '' for a missing or masked (pool) value */
  copy: { phone: string; email: string; address: string };
}

const copyable = (value: string | null): string => (value && !value.includes('*') ? value : '');

export function profileOf(c: Customer, owner: string, now = Date.now()): Profile {
  const row = rowOf(c, 0, new Map(), now);
  const none = t('common.none');
  return {
    name: c.name,
    initial: row.initial,
    tone: row.tone,
    company: c.company ?? '',
    statusLabel: row.statusLabel,
    statusTheme: row.statusTheme,
    phone: c.phone ?? none,
    email: c.email ?? none,
    address: c.address ?? none,
    lastContact: c.lastContactAt ? formatRelative(c.lastContactAt, now) : t('customers.neverContacted'),
    owner,
    copy: { phone: copyable(c.phone), email: copyable(c.email), address: copyable(c.address) },
  };
}

/** The avatar colours of the list rows (`.avatar--N`), for components styled by variables. */
export const TONES = ['#0052d9', '#2ba471', '#e37318', '#8e56dd', '#029cd4', '#d54941'];

/** Who else is here: the server counts each user once; we leave ourselves out. */
export function viewersOf(viewers: PresenceViewer[], myId: number) {
  const others = viewers.filter((v) => v.userId !== myId);
  const list = others.map((v) => ({
    userId: v.userId,
    name: v.name,
    initial: Array.from(v.name.trim())[0] ?? '?',
    color: TONES[v.userId % 6] ?? TONES[0],
  }));
  const names = others.map((v) => v.name).join(locale() === 'en' ? ', ' : '、');
  return { viewers: list, viewingText: others.length ? t('customer.alsoViewing', { names }) : '' };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:mm" in China time, as the date-time picker shows and answers. */
export function pickerValue(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MIN * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Tomorrow 10:00 China time: a sensible first suggestion for a follow-up. */
export function defaultFollowUp(now = Date.now()): string {
  const tomorrow = pickerValue(now + 24 * 3_600_000).slice(0, 10);
  return `${tomorrow} 10:00`;
}

/** The picker's China-time text as an ISO instant the server takes ("2025-06-19T10:00:00+08:00"). */
export function pickerToIso(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(value);
  return m ? `${m[1]}T${m[2]}:00+08:00` : null;
}
