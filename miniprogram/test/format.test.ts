import { afterEach, describe, expect, test } from 'vitest';
import { installWx } from '../../test-support/wx/index';
import { en } from '../i18n/en';
import { detectLocale, resetLocale, stageLabel, t } from '../i18n/index';
import { zhCN } from '../i18n/zh-CN';
import {
  centsToYuanInput,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneyCompact,
  groupYuanInput,
  parseYuanToCents,
  todayInShanghai,
} from '../utils/format';

afterEach(() => resetLocale());

describe('money from integer cents', () => {
  test('exact CNY with grouping', () => {
    expect(formatMoney(1234500)).toBe('¥12,345.00');
    expect(formatMoney(5)).toBe('¥0.05');
    expect(formatMoney(-99_999_999)).toBe('-¥999,999.99');
  });

  test('compact: 万/亿 in Chinese, K/M in English', () => {
    expect(formatMoneyCompact(1_234_500, 'zh-CN')).toBe('¥1.2万');
    expect(formatMoneyCompact(150_000_000_00, 'zh-CN')).toBe('¥1.5亿');
    expect(formatMoneyCompact(9_999_00, 'zh-CN')).toBe('¥9,999');
    expect(formatMoneyCompact(1_234_500, 'en')).toBe('¥12.3K');
    expect(formatMoneyCompact(250_000_000, 'en')).toBe('¥2.5M');
    expect(formatMoneyCompact(100_000_00, 'zh-CN')).toBe('¥10万');
  });

  // A sum that rounds up to the next unit is shown in it.
  test.each([
    [99_999_999_00, 'zh-CN', '¥1亿'],
    [95_000_000_00, 'zh-CN', '¥9500万'],
    [9_999_60, 'zh-CN', '¥1万'],
    [9_500_00, 'zh-CN', '¥9,500'],
    [999_960_00, 'en', '¥1M'],
    [999_40, 'en', '¥999'],
    [-99_999_999_00, 'zh-CN', '-¥1亿'],
  ] as const)('compact: %i cents in %s reads %s', (cents, loc, shown) => {
    expect(formatMoneyCompact(cents, loc)).toBe(shown);
  });

  test('typed yuan to cents and back, never through floats', () => {
    expect(parseYuanToCents('12,345.6')).toBe(1234560);
    expect(parseYuanToCents('0.29')).toBe(29);
    expect(parseYuanToCents('¥ 100')).toBe(10000);
    expect(parseYuanToCents('1.234')).toBeNull();
    expect(parseYuanToCents('abc')).toBeNull();
    expect(parseYuanToCents('')).toBeNull();
    expect(centsToYuanInput(1234560)).toBe('12345.60');
    expect(centsToYuanInput(10000)).toBe('100');
  });

  test('the amount input groups thousands once typed, and keeps what does not parse', () => {
    expect(groupYuanInput('1280000')).toBe('1,280,000');
    expect(groupYuanInput('1234.5')).toBe('1,234.50');
    expect(groupYuanInput('1,234,567.89')).toBe('1,234,567.89');
    expect(groupYuanInput('999')).toBe('999');
    expect(groupYuanInput('12a')).toBe('12a');
    expect(parseYuanToCents(groupYuanInput('1280000'))).toBe(128_000_000);
  });
});

describe('dates and times in Asia/Shanghai', () => {
  test('an instant shows in China time whatever the machine zone', () => {
    expect(formatDateTime('2025-03-04T16:30:00Z', 'zh-CN')).toBe('2025年3月5日 00:30');
    expect(formatDateTime('2025-03-04T16:30:00Z', 'en')).toBe('Mar 5, 2025 00:30');
    expect(formatDateTime(null, 'en')).toBe('');
  });

  test('a calendar date is not shifted', () => {
    expect(formatDate('2025-12-31', 'zh-CN')).toBe('2025年12月31日');
    expect(formatDate('2025-12-31', 'en')).toBe('Dec 31, 2025');
  });

  test('today rolls over at midnight Shanghai, not UTC', () => {
    expect(todayInShanghai(Date.parse('2025-06-30T15:59:00Z'))).toBe('2025-06-30');
    expect(todayInShanghai(Date.parse('2025-06-30T16:00:00Z'))).toBe('2025-07-01');
  });
});

describe('i18n', () => {
  test('both tables carry the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const table of [en, zhCN]) for (const value of Object.values(table)) expect(value.trim()).not.toBe('');
  });

  test('placeholders match between languages', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zhCN) as Array<keyof typeof zhCN>) expect(names(en[key]), key).toEqual(names(zhCN[key]));
  });

  test('Chinese by default, English when the phone speaks English', () => {
    expect(detectLocale('zh_CN')).toBe('zh-CN');
    expect(detectLocale('zh_TW')).toBe('zh-CN');
    expect(detectLocale('en')).toBe('en');
    expect(detectLocale('en_US')).toBe('en');
    expect(detectLocale('')).toBe('zh-CN');
  });

  test('t() reads the phone language from wx.getAppBaseInfo and fills placeholders', () => {
    const zh = installWx({ language: 'zh_CN' });
    expect(t('pipeline.moved', { stage: '方案' })).toBe('已移动到“方案”');
    expect(stageLabel({ key: 'negotiation', name: 'Negotiation' })).toBe('谈判');
    // A custom stage, or a default one the team renamed (no key), shows as named.
    expect(stageLabel({ key: null, name: 'Custom stage' })).toBe('Custom stage');
    expect(stageLabel({ key: null, name: 'Won' })).toBe('Won');
    zh.uninstall();
    resetLocale();
    const english = installWx({ language: 'en' });
    expect(t('pipeline.dealCount', { count: 3 })).toBe('3 deals');
    expect(stageLabel({ key: 'won', name: '成交' })).toBe('Won');
    english.uninstall();
  });
});
