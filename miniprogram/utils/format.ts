import { locale } from '../i18n/index';
import type { Locale } from '../i18n/index';

/**
 * Money and time formatting by hand: Intl is missing or partial on some WeChat Android
 * engines, and the product only needs CNY and fixed-offset China time.
 */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1234500 -> "¥12,345.00" */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const yuan = Math.floor(abs / 100);
  const fen = String(abs % 100).padStart(2, '0');
  return `${sign}¥${groupThousands(String(yuan))}.${fen}`;
}

function trimmed(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

const compactSteps: Record<Locale, Array<[number, string]>> = {
  'zh-CN': [
    [1e8, '亿'],
    [1e4, '万'],
  ],
  en: [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ],
};

/** Short form for headers and cards: "¥1.2万" (zh) / "¥12.3K" (en); small sums stay exact. */
export function formatMoneyCompact(cents: number, loc: Locale = locale()): string {
  const sign = cents < 0 ? '-' : '';
  const yuan = Math.abs(cents) / 100;
  const steps = compactSteps[loc];
  for (const [i, [size, unit]] of steps.entries()) {
    // Judged on what the next smaller unit would show (to a tenth of it, or to the yuan), so
    // 9999.96万 reads ¥1亿 and ¥9,999.60 reads ¥1万, never ¥10000万 or ¥10,000.
    const grain = (steps[i + 1]?.[0] ?? 10) / 10;
    if (Math.round(yuan / grain) * grain >= size) return `${sign}¥${trimmed(yuan / size)}${unit}`;
  }
  return `${sign}¥${groupThousands(String(Math.round(yuan)))}`;
}

/** "12 345.67" or "12345" typed by a user -> cents; null when not a valid amount. */
export function parseYuanToCents(input: string): number | null {
  const text = input.replace(/[,\s¥]/g, '');
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(text)) return null;
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** cents -> the plain yuan text an input shows ("1234.5" -> "1234.50"; whole sums without decimals). */
export function centsToYuanInput(cents: number): string {
  const fen = cents % 100;
  const yuan = Math.floor(cents / 100);
  return fen === 0 ? String(yuan) : `${yuan}.${String(fen).padStart(2, '0')}`;
}

/** The amount input once the user leaves it: "1280000" -> "1,280,000", "1234.5" -> "1,234.50"; what does not parse stays as typed. */
export function groupYuanInput(text: string): string {
  const cents = parseYuanToCents(text);
  if (cents === null) return text;
  const [whole = '0', frac] = centsToYuanInput(cents).split('.');
  return frac === undefined ? groupThousands(whole) : `${groupThousands(whole)}.${frac}`;
}

/** Asia/Shanghai has no daylight saving: a fixed +08:00. */
export const SHANGHAI_OFFSET_MIN = 480;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function partsAt(iso: string, offsetMin: number): Parts | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + offsetMin * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

function dateText(p: Pick<Parts, 'year' | 'month' | 'day'>, loc: Locale): string {
  if (loc === 'en') return `${monthsEn[p.month - 1] ?? ''} ${p.day}, ${p.year}`;
  return `${p.year}年${p.month}月${p.day}日`;
}

/** A calendar date ("2025-03-05", no time zone) for the locale. */
export function formatDate(date: string | null, loc: Locale = locale()): string {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  if (!m) return '';
  return dateText({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, loc);
}

/** An instant shown in China time: "2025年3月5日 14:30" / "Mar 5, 2025 14:30". */
export function formatDateTime(iso: string | null, loc: Locale = locale(), offsetMin = SHANGHAI_OFFSET_MIN): string {
  const p = iso ? partsAt(iso, offsetMin) : null;
  if (!p) return '';
  return `${dateText(p, loc)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Today's calendar date in China time, "YYYY-MM-DD". */
export function todayInShanghai(now: number = Date.now()): string {
  const p = partsAt(new Date(now).toISOString(), SHANGHAI_OFFSET_MIN);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : '';
}

/** A calendar date without the year, for ranges within a year: "5月20日" / "May 20". */
export function formatShortDate(date: string, loc: Locale = locale()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return '';
  const month = Number(m[2]);
  const day = Number(m[3]);
  return loc === 'en' ? `${monthsEn[month - 1] ?? ''} ${day}` : `${month}月${day}日`;
}
