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

/** `YYYY-MM-DD HH:mm` in the tenant's time zone (the form WeChat's `time` fields accept). */
export function localTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

// WeChat `thing` values: at most 20 characters, never empty.
const thing = (text: string | null): string => {
  const chars = [...(text ?? '').trim()];
  if (chars.length === 0) return '无';
  return chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : chars.join('');
};

export function reminderDraft(r: ClaimedReminder): NotificationDraft {
  const when = localTime(r.due_at ?? r.remind_at, r.time_zone);
  const base = { tenantId: r.tenant_id, userId: r.user_id, link: taskLink(r.id) };
  if (r.follow_up) return { ...base, kind: 'follow-up-due', title: `跟进提醒：${r.customer_name ?? r.title}`, body: `${r.title} · ${when}` };
  const who = r.customer_name ? ` · ${r.customer_name}` : '';
  return { ...base, kind: 'task-reminder', title: `任务提醒：${r.title}`, body: `${r.due_at ? '截止' : '提醒'} ${when}${who}` };
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
