import type {
  ActivityAnalytics,
  ActivityType,
  AnalyticsWindow,
  MetricWithTrend,
  PipelineAnalytics,
  SalesMetrics,
} from '@live-crm/shared-types';
import { stageLabel, t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import type { Series } from '../../utils/charts';
import { formatMoneyCompact, formatShortDate, todayInShanghai } from '../../utils/format';

/** What the dashboard template shows; plain strings so a refresh can be diffed path by path. */

type Kind = 'money' | 'count' | 'rate' | 'days';
export type Trend = 'up' | 'down' | 'flat';

export interface MetricCard {
  key: string;
  label: string;
  value: string;
  trend: Trend;
  /** good / bad for the team (a shorter sales cycle is good), or flat */
  tone: 'good' | 'bad' | 'flat';
  delta: string;
  previous: string;
}

/** `perWin`: an average over won deals, which does not exist (shown as a dash) when nothing was won. */
const METRICS: Array<{ key: keyof SalesMetrics; label: MessageKey; kind: Kind; lowerIsBetter?: boolean; perWin?: boolean }> = [
  { key: 'wonValueCents', label: 'dashboard.wonValue', kind: 'money' },
  { key: 'wonCount', label: 'dashboard.wonCount', kind: 'count' },
  { key: 'conversionRate', label: 'dashboard.conversion', kind: 'rate' },
  { key: 'averageDealCents', label: 'dashboard.averageDeal', kind: 'money', perWin: true },
  { key: 'averageCycleDays', label: 'dashboard.averageCycle', kind: 'days', lowerIsBetter: true, perWin: true },
  { key: 'newPipelineCents', label: 'dashboard.newPipeline', kind: 'money' },
];

const oneDecimal = (n: number): string => n.toFixed(1).replace(/\.0$/, '');

export function percent(fraction: number): string {
  return `${oneDecimal(fraction * 100)}%`;
}

function formatValue(kind: Kind, value: number): string {
  if (kind === 'money') return formatMoneyCompact(value);
  if (kind === 'rate') return percent(value);
  if (kind === 'days') return t('dashboard.days', { value: oneDecimal(value) });
  return String(value);
}

/** Money and counts move in percent; rates in points; days in days. */
function deltaText(kind: Kind, m: MetricWithTrend): string {
  const diff = m.current - m.previous;
  if (diff === 0) return t('dashboard.flat');
  const abs = Math.abs(diff);
  if (kind === 'rate') return t('dashboard.points', { value: oneDecimal(abs * 100) });
  if (kind === 'days') return t('dashboard.days', { value: oneDecimal(abs) });
  if (m.previous === 0) return t('dashboard.new');
  return `${oneDecimal((abs / Math.abs(m.previous)) * 100)}%`;
}

export const NO_VALUE = '—';

export function metricCards(sales: SalesMetrics): MetricCard[] {
  return METRICS.map(({ key, label, kind, lowerIsBetter, perWin }) => {
    const m = sales[key];
    const has = { current: !perWin || sales.wonCount.current > 0, previous: !perWin || sales.wonCount.previous > 0 };
    const comparable = has.current && has.previous;
    const trend: Trend = !comparable || m.current === m.previous ? 'flat' : m.current > m.previous ? 'up' : 'down';
    const better = lowerIsBetter ? trend === 'down' : trend === 'up';
    return {
      key,
      label: t(label),
      value: has.current ? formatValue(kind, m.current) : NO_VALUE,
      trend,
      tone: trend === 'flat' ? 'flat' : better ? 'good' : 'bad',
      delta: comparable ? deltaText(kind, m) : '',
      previous: t('dashboard.previous', { value: has.previous ? formatValue(kind, m.previous) : NO_VALUE }),
    };
  });
}

export interface FunnelRow {
  name: string;
  count: string;
  value: string;
  width: string;
  rate: string;
}

/** Open stages and Won, in order, as centred bars sized by deal count; the conversion out of each. */
export function funnelRows(p: PipelineAnalytics): FunnelRow[] {
  const stages = p.stages.filter((s) => s.outcome !== 'lost').sort((a, b) => a.position - b.position);
  const most = Math.max(1, ...stages.map((s) => s.count));
  return stages.map((s) => {
    const conv = p.conversion.find((c) => c.position === s.position && c.exits > 0);
    return {
      name: stageLabel(s),
      count: t('dashboard.stageCount', { count: s.count }),
      value: formatMoneyCompact(s.valueCents),
      width: `${Math.round(16 + (84 * s.count) / most)}%`,
      rate: conv ? t('dashboard.conversionTo', { rate: percent(conv.rate) }) : '',
    };
  });
}

export function lostLine(p: PipelineAnalytics): string {
  const lost = p.stages.filter((s) => s.outcome === 'lost');
  const count = lost.reduce((n, s) => n + s.count, 0);
  if (count === 0) return '';
  const value = lost.reduce((n, s) => n + s.valueCents, 0);
  return t('dashboard.lostLine', { count, value: formatMoneyCompact(value) });
}

/**
 * The event log keeps stage moves for a limited time: when a long period reaches past it, say from
 * which day the conversion rates count.
 */
export function movesSince(p: PipelineAnalytics, w: AnalyticsWindow): string {
  if (!(Date.parse(p.movesFrom) > Date.parse(w.current.from)) || !p.conversion.some((c) => c.exits > 0)) return '';
  return t('dashboard.movesSince', { date: formatShortDate(todayInShanghai(Date.parse(p.movesFrom))) });
}

export interface RottingRow {
  id: number;
  title: string;
  meta: string;
  value: string;
  idle: string;
}

export const ROTTING_SHOWN = 8;

/** A row in a fixed slot; `rank` orders it on screen (CSS order), so reordering moves no data. */
export type RottingSlot = (RottingRow & { rank: number }) | null;

/**
 * Keeps each stalled deal in the slot it had, fills freed slots with newcomers, and pads to
 * ROTTING_SHOWN: a refresh then patches only the slots whose deal changed.
 */
export function placeRotting(previous: RottingSlot[], rows: RottingRow[]): RottingSlot[] {
  const slots: RottingSlot[] = Array.from({ length: ROTTING_SHOWN }, () => null);
  const rank = new Map(rows.map((r, i) => [r.id, i]));
  const placed = new Set<number>();
  previous.forEach((slot, i) => {
    if (!slot || i >= ROTTING_SHOWN || !rank.has(slot.id)) return;
    const row = rows[rank.get(slot.id) ?? 0];
    if (row) {
      slots[i] = { ...row, rank: rank.get(slot.id) ?? 0 };
      placed.add(row.id);
    }
  });
  for (const [i, row] of rows.entries()) {
    if (placed.has(row.id)) continue;
    const free = slots.indexOf(null);
    if (free < 0) break;
    slots[free] = { ...row, rank: i };
  }
  return slots;
}

export function rottingRows(p: PipelineAnalytics): RottingRow[] {
  return p.rotting.slice(0, ROTTING_SHOWN).map((d) => ({
    id: d.id,
    title: d.title,
    meta: [d.customerName, d.ownerName ?? t('common.unassigned'), stageLabel({ key: d.stageKey, name: d.stageName })].join(' · '),
    value: formatMoneyCompact(d.valueCents),
    idle: t('dashboard.idle', { days: d.idleDays }),
  }));
}

/** Brand-led palette, one colour per activity type, distinguishable side by side. */
export const TYPE_COLORS: Record<ActivityType, string> = {
  call: '#0052d9',
  meeting: '#2ba471',
  email: '#e37318',
  visit: '#d54941',
  message: '#8e56dd',
  wechat: '#07c160',
  'follow-up': '#029cd4',
  note: '#a6a6a6',
  'stage-change': '#b5c7ff',
  other: '#dcdcdc',
};

export interface LegendItem {
  type: ActivityType;
  label: string;
  color: string;
  count: number;
}

export function activityLegend(a: ActivityAnalytics): LegendItem[] {
  return a.byType
    .filter((b) => b.count > 0)
    .map((b) => ({
      type: b.type,
      label: t(`activityType.${b.type}`),
      color: TYPE_COLORS[b.type] ?? TYPE_COLORS.other,
      count: b.count,
    }));
}

/** Chart series in legend order (busiest type at the bottom of each bar). */
export function activitySeries(a: ActivityAnalytics): Series[] {
  return activityLegend(a).map((l) => ({ key: l.type, color: l.color }));
}

export function activityTotal(a: ActivityAnalytics): string {
  return t('dashboard.activityTotal', { count: a.total.current });
}

export function rangeText(w: AnalyticsWindow): string {
  return t('dashboard.range', { from: formatShortDate(w.current.firstDay), to: formatShortDate(w.current.lastDay) });
}
