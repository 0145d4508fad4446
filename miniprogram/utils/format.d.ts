import type { Locale } from '../i18n/index';
/** 1234500 -> "¥12,345.00" */
export declare function formatMoney(cents: number): string;
/** Short form for headers and cards: "¥1.2万" (zh) / "¥12.3K" (en); small sums stay exact. */
export declare function formatMoneyCompact(cents: number, loc?: Locale): string;
/** "12 345.67" or "12345" typed by a user -> cents; null when not a valid amount. */
export declare function parseYuanToCents(input: string): number | null;
/** cents -> the plain yuan text an input shows ("1234.5" -> "1234.50"; whole sums without decimals). */
export declare function centsToYuanInput(cents: number): string;
/** Asia/Shanghai has no daylight saving: a fixed +08:00. */
export declare const SHANGHAI_OFFSET_MIN = 480;
/** A calendar date ("2025-03-05", no time zone) for the locale. */
export declare function formatDate(date: string | null, loc?: Locale): string;
/** An instant shown in China time: "2025年3月5日 14:30" / "Mar 5, 2025 14:30". */
export declare function formatDateTime(iso: string | null, loc?: Locale, offsetMin?: number): string;
/** Today's calendar date in China time, "YYYY-MM-DD". */
export declare function todayInShanghai(now?: number): string;
