import { locale, t } from '../i18n/index';
import type { Locale } from '../i18n/index';
import { SHANGHAI_OFFSET_MIN, formatDate } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Calendar day number in China time, so "yesterday" turns at Shanghai midnight. */
function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MIN * MINUTE) / DAY);
}

function shanghai(ms: number): Date {
  return new Date(ms + SHANGHAI_OFFSET_MIN * MINUTE);
}

/** "刚刚", "5分钟前", "3小时前", "昨天", "3天前", then the date. For list rows ("3天前联系"). */
export function formatRelative(iso: string | null, now: number = Date.now(), loc: Locale = locale()): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  const ago = Math.max(0, now - ms);
  const days = shanghaiDay(now) - shanghaiDay(ms);
  if (ago < MINUTE) return t('time.justNow');
  if (days <= 0 && ago < HOUR) return t('time.minutesAgo', { n: Math.floor(ago / MINUTE) });
  if (days <= 0) return t('time.hoursAgo', { n: Math.floor(ago / HOUR) });
  if (days === 1) return t('time.yesterday');
  if (days < 30) return t('time.daysAgo', { n: days });
  return formatDate(shanghai(ms).toISOString(), loc);
}

/** Timeline stamp: "14:30", "昨天 14:30", "6月18日 14:30", "2024年6月18日 14:30" (China time). */
export function formatStamp(iso: string, now: number = Date.now(), loc: Locale = locale()): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = shanghai(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const days = shanghaiDay(now) - shanghaiDay(ms);
  if (days === 0) return time;
  if (days === 1) return t('time.yesterdayAt', { time });
  const sameYear = shanghai(now).getUTCFullYear() === d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  if (loc === 'en') {
    const date = `${monthsEn[month - 1] ?? ''} ${d.getUTCDate()}`;
    return sameYear ? `${date} ${time}` : `${date}, ${d.getUTCFullYear()} ${time}`;
  }
  const date = `${month}月${d.getUTCDate()}日`;
  return sameYear ? `${date} ${time}` : `${d.getUTCFullYear()}年${date} ${time}`;
}
