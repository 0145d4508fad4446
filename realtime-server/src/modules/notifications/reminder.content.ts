import type { NotificationDraft } from './notifications.service.js';
import { taskLink } from './notifications.service.js';

/** A reminder as the claim query returns it. */
export interface ClaimedReminder {
  id: number;
  tenant_id: number;
  title: string;
  due_at: Date | null;
  remind_at: Date;
  /** The assignee, or the creator of an unassigned task. */
  user_id: number;
  open_id: string | null;
  customer_name: string | null;
  time_zone: string;
  /** The task was created by a follow-up. */
  follow_up: boolean;
}

// Building an Intl formatter costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    // A zone Intl does not know must not fail the whole claim (and every claim after it): use UTC.
    try {
      f = new Intl.DateTimeFormat('en-CA', { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { ...options, timeZone: 'UTC' });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

// notifications.title holds 200 characters: a long task title must not fail the claim.
function clip(text: string, max = 200): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** `YYYY-MM-DD HH:mm` in the tenant's time zone (the form WeChat's `time` fields accept). */
export function localTime(at: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

// WeChat `thing` values: at most 20 characters, never empty.
const thing = (text: string | null): string => clip((text ?? '').trim(), 20) || '无';

export function reminderDraft(r: ClaimedReminder): NotificationDraft {
  const when = localTime(r.due_at ?? r.remind_at, r.time_zone);
  const base = { tenantId: r.tenant_id, userId: r.user_id, link: taskLink(r.id) };
  if (r.follow_up) return { ...base, kind: 'follow-up-due', title: clip(`跟进提醒：${r.customer_name ?? r.title}`), body: `${r.title} · ${when}` };
  const who = r.customer_name ? ` · ${r.customer_name}` : '';
  return { ...base, kind: 'task-reminder', title: clip(`任务提醒：${r.title}`), body: `${r.due_at ? '截止' : '提醒'} ${when}${who}` };
}

/**
 * Data for the reminder template. The template configured in WECHAT_REMINDER_TEMPLATE_ID must have
 * these fields: thing1 (task), time2 (due time), thing3 (customer).
 */
export function reminderMessageData(r: ClaimedReminder): Record<string, { value: string }> {
  return {
    thing1: { value: thing(r.title) },
    time2: { value: localTime(r.due_at ?? r.remind_at, r.time_zone) },
    thing3: { value: thing(r.customer_name) },
  };
}
