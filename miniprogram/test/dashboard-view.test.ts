import type { AnalyticsWindow, PipelineAnalytics, SalesMetrics } from '@live-crm/shared-types';
import { beforeAll, describe, expect, test } from 'vitest';
import { resetLocale } from '../i18n/index';
import { metricCards, movesSince, placeRotting, ROTTING_SHOWN } from '../pages/dashboard/view';
import type { RottingRow } from '../pages/dashboard/view';
import { diffData } from '../utils/diff';

beforeAll(() => resetLocale('zh-CN'));

const m = (current: number, previous: number) => ({ current, previous });
const sales = (over: Partial<SalesMetrics> = {}): SalesMetrics => ({
  wonValueCents: m(1_000_000, 800_000),
  wonCount: m(2, 1),
  conversionRate: m(0.5, 0.6),
  averageDealCents: m(500_000, 800_000),
  averageCycleDays: m(20, 25.5),
  newPipelineCents: m(0, 0),
  ...over,
});
const row = (id: number): RottingRow => ({ id, title: `deal ${id}`, meta: '', value: '¥1', idle: '20天未跟进' });

describe('metric cards', () => {
  test('money in percent, rates in points, days in days; a shorter cycle is good news', () => {
    const [won, count, rate, avg, cycle, fresh] = metricCards(sales());
    expect(won).toMatchObject({ value: '¥1万', trend: 'up', tone: 'good', delta: '25%', previous: '上期 ¥8,000' });
    expect(count).toMatchObject({ value: '2', delta: '100%' });
    expect(rate).toMatchObject({ value: '50%', trend: 'down', tone: 'bad', delta: '10个百分点' });
    expect(avg).toMatchObject({ trend: 'down', tone: 'bad', delta: '37.5%' });
    expect(cycle).toMatchObject({ value: '20天', trend: 'down', tone: 'good', delta: '5.5天', previous: '上期 25.5天' });
    expect(fresh).toMatchObject({ value: '¥0', trend: 'flat', tone: 'flat', delta: '持平' });
  });

  test('averages over won deals are a dash when nothing was won, not a zero', () => {
    const cards = metricCards(sales({ wonCount: m(0, 3), averageDealCents: m(0, 300_000), averageCycleDays: m(0, 12) }));
    const avg = cards.find((c) => c.key === 'averageDealCents')!;
    expect(avg).toMatchObject({ value: '—', trend: 'flat', delta: '', previous: '上期 ¥3,000' });
    expect(cards.find((c) => c.key === 'averageCycleDays')).toMatchObject({ value: '—', previous: '上期 12天' });
  });
});

describe('stalled deal slots', () => {
  test('a deal keeps its slot; a newcomer takes a freed one; order comes from rank', () => {
    const first = placeRotting([], [row(1), row(2), row(3)]);
    expect(first).toHaveLength(ROTTING_SHOWN);
    expect(first.slice(0, 4).map((s) => s?.id ?? null)).toEqual([1, 2, 3, null]);
    const next = placeRotting(first, [row(3), row(4), row(1)]);
    expect(next.slice(0, 4).map((s) => s && [s.id, s.rank])).toEqual([[1, 2], [4, 1], [3, 0], null]);
    // Only the fields of the slot whose deal changed, and the ranks, cross to the view.
    const patch = diffData({ rotting: first }, { rotting: next });
    expect(Object.keys(patch).sort()).toEqual(['rotting[0].rank', 'rotting[1].id', 'rotting[1].title', 'rotting[2].rank']);
  });
});

describe('conversion horizon note', () => {
  const w = { current: { from: '2025-03-20T16:00:00Z' } } as AnalyticsWindow;
  const p = (movesFrom: string) =>
    ({ movesFrom, conversion: [{ name: 'Lead', position: 0, exits: 2, advances: 1, rate: 0.5 }] }) as PipelineAnalytics;
  test('says from which local day moves count when the log does not reach the period start', () => {
    expect(movesSince(p('2025-05-19T16:00:00Z'), w)).toBe('转化率按5月20日起的阶段变动计算');
    expect(movesSince(p('2025-03-20T16:00:00Z'), w)).toBe('');
  });
});
