import type { MessageKey, Messages } from './zh-CN';
export type { MessageKey, Messages };
export type Locale = 'zh-CN' | 'en';
/** Chinese unless the phone speaks English. */
export declare function detectLocale(language: string): Locale;
export declare function locale(): Locale;
/** Forget the cached locale (tests relaunch the app with another language). */
export declare function resetLocale(next?: Locale): void;
export type Params = Record<string, string | number>;
export declare function t(key: MessageKey, params?: Params): string;
/** Every string a page template needs, looked up once per page load. */
export declare function messages<K extends MessageKey>(keys: readonly K[]): Record<K, string>;
/** Stage names come from the server; the standard ones are shown in the UI language. */
export declare function stageLabel(name: string): string;
