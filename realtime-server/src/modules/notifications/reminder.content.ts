import type { TaskTitleKey, TaskTitleParams } from '@live-crm/shared-types';
import type { NotificationDraft } from './notifications.service.js';
import { taskLink } from './notifications.service.js';

/** A reminder as the claim query returns it. */
export interface ClaimedReminder {
  id: number;
  tenant_id: number;
  /** In Chinese; for a server-written title (`title_key`) the phone renders the key instead. */
  title: string;
  title_key: TaskTitleKey | null;
  title_params: TaskTitleParams | null;
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

function clip(text: string, max: number): string {
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

/** The in-app notification: kind and params, written out by the phone in its own language. */
export function reminderDraft(r: ClaimedReminder): NotificationDraft {
  const params = {
    task: { title: r.title, titleKey: r.title_key, titleParams: r.title_params },
    dueAt: r.due_at?.toISOString() ?? null,
    remindAt: r.remind_at.toISOString(),
    customerName: r.customer_name,
  };
  const base = { tenantId: r.tenant_id, userId: r.user_id, link: taskLink(r.id) };
  return r.follow_up ? { ...base, kind: 'follow-up-due', params } : { ...base, kind: 'task-reminder', params };
}

/**
 * Data for the reminder template, in Chinese like the template itself (WeChat keeps templates in
 * the language they were registered in; the server does not know the phone's). The template configured in WECHAT_REMINDER_TEMPLATE_ID must have
 * these fields: thing1 (task), time2 (due time), thing3 (customer).
 */
export function reminderMessageData(r: ClaimedReminder): Record<string, { value: string }> {
  return {
    thing1: { value: thing(r.title) },
    time2: { value: localTime(r.due_at ?? r.remind_at, r.time_zone) },
    thing3: { value: thing(r.customer_name) },
  };
}
