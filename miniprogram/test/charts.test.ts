import { describe, expect, test } from 'vitest';
import { bucketDays, drawStackedBars, niceMax, shortDate } from '../utils/charts';
import type { Ctx2D, Series } from '../utils/charts';

type Call = { op: string; args: unknown[]; fillStyle?: unknown };

/** A CanvasRenderingContext2D stand-in that records every call, with the fill colour at the time. */
function recorder(): Ctx2D & { calls: Call[] } {
  const calls: Call[] = [];
  const ctx = {
    calls,
    fillStyle: '' as unknown,
    strokeStyle: '' as unknown,
    lineWidth: 1,
    font: '',
    textAlign: 'start',
    textBaseline: 'alphabetic',
  } as Ctx2D & { calls: Call[] };
  for (const op of ['scale', 'clearRect', 'fillRect', 'beginPath', 'moveTo', 'lineTo', 'stroke', 'fillText'] as const) {
    (ctx as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
      calls.push({ op, args, fillStyle: ctx.fillStyle });
    };
  }
  return ctx;
}

const SERIES: Series[] = [
  { key: 'call', color: '#0052d9' },
  { key: 'meeting', color: '#2ba471' },
];
const texts = (ctx: { calls: Call[] }) => ctx.calls.filter((c) => c.op === 'fillText').map((c) => c.args[0]);
const rects = (ctx: { calls: Call[] }) => ctx.calls.filter((c) => c.op === 'fillRect');

describe('niceMax', () => {
  test('rounds up to 1, 2, 2.5, 5 x 10^n and never below 4', () => {
    expect([0, 3, 4, 5, 9, 11, 19, 21, 26, 51, 240].map(niceMax)).toEqual([4, 4, 4, 5, 10, 20, 20, 25, 50, 100, 250]);
  });
});

describe('drawStackedBars', () => {
  test('stacks each bar bottom-up in series colours, heights proportional to the axis maximum', () => {
    const ctx = recorder();
    const bars = [
      { label: '6/17', values: [3, 1] },
      { label: '6/18', values: [0, 5] },
    ];
    const segments = drawStackedBars(ctx, bars, SERIES, 300, 160);
    // plot: 160 - 8 top - 18 bottom = 134 high; axis max niceMax(5) = 5
    expect(segments.map((s) => [s.bar, s.series, Math.round(s.height * 10) / 10])).toEqual([
      [0, 0, 80.4],
      [0, 1, 26.8],
      [1, 1, 134],
    ]);
    const [first, second] = segments;
    expect(second!.y + second!.height).toBeCloseTo(first!.y); // the meeting sits on top of the calls
    expect(rects(ctx).map((r) => r.fillStyle)).toEqual(['#0052d9', '#2ba471', '#2ba471']);
    expect(rects(ctx).every((r) => (r.args[0] as number) >= 28)).toBe(true); // right of the y labels
    expect(texts(ctx)).toEqual(['0', '3', '5', '6/17', '6/18']);
    expect(ctx.calls[0]).toMatchObject({ op: 'clearRect', args: [0, 0, 300, 160] });
  });

  test('labels at most six bars, always the last one', () => {
    const ctx = recorder();
    const bars = Array.from({ length: 30 }, (_, i) => ({ label: `d${i + 1}`, values: [1, 0] }));
    drawStackedBars(ctx, bars, SERIES, 320, 160);
    const labels = texts(ctx).filter((t) => String(t).startsWith('d'));
    expect(labels.length).toBeLessThanOrEqual(6);
    expect(labels.at(-1)).toBe('d30');
  });

  test('an empty period draws the axis and the empty text, no bars', () => {
    const ctx = recorder();
    const segments = drawStackedBars(ctx, [{ label: '6/18', values: [0, 0] }], SERIES, 300, 160, {
      axis: '#ccc',
      grid: '#eee',
      text: '#999',
      font: '10px sans-serif',
      empty: '这段时间没有活动记录',
    });
    expect(segments).toEqual([]);
    expect(rects(ctx)).toEqual([]);
    expect(texts(ctx)).toContain('这段时间没有活动记录');
  });
});

describe('bucketDays', () => {
  const days = (n: number, last = '2025-06-18') =>
    Array.from({ length: n }, (_, i) => new Date(Date.parse(`${last}T00:00:00Z`) - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));

  test('one bar per day up to a month, summing each type into its series', () => {
    const bars = bucketDays(
      days(7),
      [
        { date: '2025-06-18', type: 'call', count: 2 },
        { date: '2025-06-18', type: 'meeting', count: 1 },
        { date: '2025-06-12', type: 'call', count: 4 },
        { date: '2025-06-13', type: 'email', count: 9 },
      ],
      SERIES,
    );
    expect(bars).toHaveLength(7);
    expect(bars[0]).toEqual({ label: '6/12', values: [4, 0] });
    expect(bars[6]).toEqual({ label: '6/18', values: [2, 1] });
    expect(bars[1]).toEqual({ label: '6/13', values: [0, 0] }); // a type without a series is left out
  });

  test('weeks for a quarter, counted back from the last day', () => {
    const ninety = days(90);
    const bars = bucketDays(
      ninety,
      [
        { date: ninety[0]!, type: 'call', count: 1 },
        { date: '2025-06-12', type: 'call', count: 2 },
        { date: '2025-06-18', type: 'call', count: 3 },
      ],
      SERIES,
    );
    expect(bars).toHaveLength(13); // a 6-day first week, then 12 whole weeks
    expect(bars.at(-1)).toEqual({ label: '6/12', values: [5, 0] });
    expect(bars[0]).toEqual({ label: shortDate(ninety[0]!), values: [1, 0] });
  });

  test('calendar months for a year, the same month of two years kept apart', () => {
    const year = days(365);
    const bars = bucketDays(
      year,
      [
        { date: '2024-06-19', type: 'call', count: 1 },
        { date: '2025-06-01', type: 'meeting', count: 2 },
      ],
      SERIES,
      (m) => `${m}月`,
    );
    expect(bars).toHaveLength(13);
    expect(bars[0]).toEqual({ label: '6月', values: [1, 0] });
    expect(bars.at(-1)).toEqual({ label: '6月', values: [0, 2] });
  });
});
