import { locale, t } from '../i18n/index';
import type { Locale } from '../i18n/index';
import { SHANGHAI_OFFSET_MIN } from './format';

/** Due times and "how long ago", in China time (fixed +08:00, no daylight saving). */

const DAY_MS = 86_400_000;
const OFFSET_MS = SHANGHAI_OFFSET_MIN * 60_000;
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Midnight (as an instant) of the Shanghai day that contains `ms`. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

function wall(ms: number): Date {
  return new Date(ms + OFFSET_MS);
}

function clock(ms: number): string {
  const d = wall(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function calendarDay(ms: number, withYear: boolean, loc: Locale): string {
  const d = wall(ms);
  const month = d.getUTCMonth() + 1;
  if (loc === 'en') return `${monthsEn[month - 1] ?? ''} ${d.getUTCDate()}${withYear ? `, ${d.getUTCFullYear()}` : ''}`;
  return `${withYear ? `${d.getUTCFullYear()}年` : ''}${month}月${d.getUTCDate()}日`;
}

/** "今天 14:30", "明天 09:00", "昨天 18:00", "6月25日 10:00" (another year: with the year). */
export function formatDue(iso: string | null, now: number = Date.now(), loc: Locale = locale()): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  const days = Math.round((shanghaiDayStart(ms) - shanghaiDayStart(now)) / DAY_MS);
  const named: Record<number, string> = { [-1]: t('when.yesterday'), 0: t('when.today'), 1: t('when.tomorrow') };
  const day = named[days] ?? calendarDay(ms, wall(ms).getUTCFullYear() !== wall(now).getUTCFullYear(), loc);
  return `${day} ${clock(ms)}`;
}

/** "刚刚", "5分钟前", then the day and time as formatDue says it. */
export function formatAgo(iso: string | null, now: number = Date.now(), loc: Locale = locale()): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 0) return formatDue(iso, now, loc); // a scheduled time still ahead
  if (minutes < 1) return t('when.justNow');
  if (minutes < 60) return t('when.minutesAgo', { n: minutes });
  return formatDue(iso, now, loc);
}

/** A Shanghai wall-clock "YYYY-MM-DD HH:mm" (what the date-time picker shows) -> ISO with +08:00. */
export function wallClockToIso(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** An instant -> the Shanghai wall clock "YYYY-MM-DD HH:mm" the picker takes. */
export function isoToWallClock(iso: string | null): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  const d = wall(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock(ms)}`;
}
