import { en } from './en';
import { zhCN } from './zh-CN';
import type { StageKey } from '@live-crm/shared-types';
import type { MessageKey, Messages } from './zh-CN';

export type { MessageKey, Messages };
export type Locale = 'zh-CN' | 'en';

const tables: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
let current: Locale | null = null;

function phoneLanguage(): string {
  // getAppBaseInfo replaces the deprecated getSystemInfoSync on newer base libraries.
  if (typeof wx.getAppBaseInfo === 'function') return wx.getAppBaseInfo().language || '';
  return wx.getSystemInfoSync().language || '';
}

/** Chinese unless the phone speaks English. */
export function detectLocale(language: string): Locale {
  return language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function locale(): Locale {
  if (!current) current = detectLocale(phoneLanguage());
  return current;
}

/** Forget the cached locale (tests relaunch the app with another language). */
export function resetLocale(next?: Locale): void {
  current = next ?? null;
}

export type Params = Record<string, string | number>;

export function t(key: MessageKey, params?: Params): string {
  const text = tables[locale()][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Every string a page template needs, looked up once per page load. */
export function messages<K extends MessageKey>(keys: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = t(key);
  return out;
}

/** What a stage label needs: a default stage's key, else the name the team gave it. */
export interface NamedStage {
  key: StageKey | null;
  name: string;
}

/** A default stage in the UI language; a custom (or renamed) stage as the team named it. */
export function stageLabel(stage: NamedStage): string {
  return stage.key ? t(`stage.${stage.key}`) : stage.name;
}
