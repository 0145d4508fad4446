/**
 * Stacked bar chart for canvas 2d, pure: it draws into anything shaped like a
 * CanvasRenderingContext2D (WeChat's canvas node context, a browser canvas, or a test recorder).
 */

/** The part of CanvasRenderingContext2D the chart uses. */
export interface Ctx2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  scale(x: number, y: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
}

export interface Series {
  key: string;
  color: string;
}
/** One bar: `values[i]` belongs to `series[i]`, stacked bottom-up in series order. */
export interface Bar {
  label: string;
  values: number[];
}
export interface ChartTheme {
  axis: string;
  grid: string;
  text: string;
  font: string;
  empty: string;
}

export const DEFAULT_THEME: ChartTheme = {
  axis: '#dcdcdc',
  grid: '#eeeeee',
  text: '#8b8b8b',
  font: '10px sans-serif',
  empty: 'no data',
};

/** Where a drawn segment landed, in CSS pixels (what the tests and tap handling need). */
export interface Segment {
  bar: number;
  series: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const PAD = { left: 28, right: 6, top: 8, bottom: 18 };
const MAX_LABELS = 6;

/** The smallest "round" axis maximum (1, 2, 5 x 10^n) at or above `max`; never below 4. */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= max) ?? 10;
  return step * magnitude;
}

function total(bar: Bar): number {
  return bar.values.reduce((sum, v) => sum + v, 0);
}

/** Gridlines and y labels at 0, half and max. */
function drawAxis(ctx: Ctx2D, top: number, width: number, height: number, max: number, theme: ChartTheme): void {
  ctx.lineWidth = 1;
  ctx.font = theme.font;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const value of [0, max / 2, max]) {
    const y = Math.round(top + height - (value / max) * height) + 0.5;
    ctx.strokeStyle = value === 0 ? theme.axis : theme.grid;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(PAD.left + width, y);
    ctx.stroke();
    ctx.fillStyle = theme.text;
    ctx.fillText(String(Math.round(value)), PAD.left - 4, y);
  }
}

/** Every k-th label so that at most MAX_LABELS show; the last bar is always labelled. */
function labelEvery(count: number): number {
  return Math.max(1, Math.ceil(count / MAX_LABELS));
}

function drawLabels(ctx: Ctx2D, bars: Bar[], slot: number, baseline: number, theme: ChartTheme): void {
  const every = labelEvery(bars.length);
  ctx.fillStyle = theme.text;
  ctx.font = theme.font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  bars.forEach((bar, i) => {
    const fromEnd = bars.length - 1 - i;
    if (fromEnd % every !== 0) return;
    ctx.fillText(bar.label, PAD.left + slot * i + slot / 2, baseline + 4);
  });
}

/**
 * Draws `bars` stacked by `series` into a `width` x `height` (CSS px) area; the caller has already
 * scaled the context by the pixel ratio. Returns the segments drawn.
 */
export function drawStackedBars(
  ctx: Ctx2D,
  bars: Bar[],
  series: Series[],
  width: number,
  height: number,
  theme: ChartTheme = DEFAULT_THEME,
): Segment[] {
  ctx.clearRect(0, 0, width, height);
  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = Math.max(0, height - PAD.top - PAD.bottom);
  const max = niceMax(Math.max(0, ...bars.map(total)));
  drawAxis(ctx, PAD.top, plotW, plotH, max, theme);
  const baseline = PAD.top + plotH;
  if (bars.length === 0 || bars.every((b) => total(b) === 0)) {
    ctx.fillStyle = theme.text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(theme.empty, PAD.left + plotW / 2, PAD.top + plotH / 2);
    return [];
  }
  const slot = plotW / bars.length;
  const barW = Math.max(1, Math.min(24, slot * 0.7));
  const segments: Segment[] = [];
  bars.forEach((bar, b) => {
    const x = PAD.left + slot * b + (slot - barW) / 2;
    let y = baseline;
    bar.values.forEach((value, s) => {
      if (value <= 0) return;
      const h = (value / max) * plotH;
      y -= h;
      ctx.fillStyle = series[s]?.color ?? theme.axis;
      ctx.fillRect(x, y, barW, h);
      segments.push({ bar: b, series: s, x, y, width: barW, height: h });
    });
  });
  drawLabels(ctx, bars, slot, baseline, theme);
  return segments;
}

export interface DayTypeCount {
  date: string;
  type: string;
  count: number;
}

/** "2025-06-18" -> "6/18" */
export function shortDate(date: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[1])}/${Number(m[2])}` : date;
}

/** Labels a calendar month bar ("6月" / "Jun"); month is 1..12. */
export type MonthLabel = (month: number) => string;

/**
 * Groups days into bars: one per day up to a month, one per week (7 days, counted back from the
 * last day) up to a quarter, one per calendar month beyond. Each bar sums its days' counts per series.
 */
export function bucketDays(days: string[], rows: DayTypeCount[], series: Series[], monthLabel: MonthLabel = String): Bar[] {
  const index = new Map(series.map((s, i) => [s.key, i]));
  const bucket = bucketOf(days, monthLabel);
  const bars = new Map<string, Bar>();
  for (const day of days) {
    const { key, label } = bucket(day);
    if (!bars.has(key)) bars.set(key, { label, values: series.map(() => 0) });
  }
  for (const row of rows) {
    const bar = bars.get(bucket(row.date).key);
    const s = index.get(row.type);
    if (bar && s !== undefined) bar.values[s] = (bar.values[s] ?? 0) + row.count;
  }
  return [...bars.values()];
}

function bucketOf(days: string[], monthLabel: MonthLabel): (day: string) => { key: string; label: string } {
  if (days.length <= 31) return (day) => ({ key: day, label: shortDate(day) });
  if (days.length > 92) return (day) => ({ key: day.slice(0, 7), label: monthLabel(Number(day.slice(5, 7))) });
  // Whole weeks end on the last day; a short first week takes the remainder. Labelled by first day.
  const position = new Map(days.map((d, i) => [d, i]));
  const offset = days.length % 7;
  return (day) => {
    const i = position.get(day) ?? 0;
    const start = days[i < offset ? 0 : offset + Math.floor((i - offset) / 7) * 7] ?? day;
    return { key: start, label: shortDate(start) };
  };
}
