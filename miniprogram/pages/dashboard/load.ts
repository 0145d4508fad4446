import type { AnalyticsPeriod, Id } from '@live-crm/shared-types';
import { locale, t } from '../../i18n/index';
import { getActivityAnalytics, getPipelineAnalytics, getSales } from '../../services/analytics';
import { bucketDays, DEFAULT_THEME, drawStackedBars } from '../../utils/charts';
import type { Bar, Ctx2D, Series } from '../../utils/charts';
import { formatMoneyCompact } from '../../utils/format';
import {
  activityLegend,
  activitySeries,
  activityTotal,
  funnelRows,
  lostLine,
  metricCards,
  movesSince,
  placeRotting,
  rangeText,
  ROTTING_SHOWN,
  rottingRows,
} from './view';
import type { FunnelRow, LegendItem, MetricCard, RottingSlot } from './view';

/** Everything the dashboard template reads, built from the three analytics answers. */
export interface DashboardView {
  range: string;
  /** the period's local days, for the activities export */
  days: { first: string; last: string } | null;
  metrics: MetricCard[];
  funnel: FunnelRow[];
  funnelSummary: string;
  lost: string;
  movesSince: string;
  activityTotal: string;
  legend: LegendItem[];
  activityEmpty: boolean;
  rottingHint: string;
  rottingCount: number;
  /** fixed ROTTING_SHOWN slots, null when empty */
  rotting: RottingSlot[];
  moreRotting: string;
}

/** The chart's input, kept off `data`: it goes to the canvas, not across to the view. */
export interface ChartData {
  bars: Bar[];
  series: Series[];
}

export function emptyView(): DashboardView {
  return {
    range: '',
    days: null,
    metrics: [],
    funnel: [],
    funnelSummary: '',
    lost: '',
    movesSince: '',
    activityTotal: '',
    legend: [],
    activityEmpty: true,
    rottingHint: '',
    rottingCount: 0,
    rotting: [],
    moreRotting: '',
  };
}

const monthLabel = (month: number): string =>
  locale() === 'en'
    ? (['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1] ?? String(month))
    : `${month}月`;

/** `shown`: the stalled-deal slots on screen now, so each deal keeps its slot. */
export async function loadDashboard(period: AnalyticsPeriod, teamId: Id | null, shown: RottingSlot[] = []) {
  const [sales, pipeline, activities] = await Promise.all([
    getSales(period, teamId),
    getPipelineAnalytics(period, teamId),
    getActivityAnalytics(period, teamId),
  ]);
  const p = pipeline.analytics;
  const a = activities.analytics;
  const series = activitySeries(a);
  const chart: ChartData = {
    series,
    bars: bucketDays(
      a.perDay.map((d) => d.date),
      a.perDayByType,
      series,
      monthLabel,
    ),
  };
  const more = p.rottingCount - Math.min(p.rotting.length, ROTTING_SHOWN);
  const view: DashboardView = {
    range: rangeText(sales.window),
    days: { first: sales.window.current.firstDay, last: sales.window.current.lastDay },
    metrics: metricCards(sales.metrics),
    funnel: p.stages.some((s) => s.count > 0) ? funnelRows(p) : [],
    funnelSummary: t('dashboard.funnelSummary', {
      open: formatMoneyCompact(p.openValueCents),
      weighted: formatMoneyCompact(p.weightedValueCents),
    }),
    lost: lostLine(p),
    movesSince: movesSince(p, pipeline.window),
    activityTotal: activityTotal(a),
    legend: activityLegend(a),
    activityEmpty: a.total.current === 0,
    rottingHint: t('dashboard.rottingHint', { days: p.rottingDays }),
    rottingCount: p.rottingCount,
    rotting: placeRotting(shown, rottingRows(p)),
    moreRotting: more > 0 ? t('dashboard.moreRotting', { count: more }) : '',
  };
  return { view, chart, teamIds: sales.window.teamIds };
}

/** What `fields({ node: true, size: true })` answers for a `<canvas type="2d">`. */
interface CanvasHit {
  node?: { width: number; height: number; getContext(kind: '2d'): Ctx2D };
  width: number;
  height: number;
}

/** Sizes the canvas to the device's pixels and draws; no node (e.g. no canvas support) draws nothing. */
export function drawActivityChart(hit: unknown, chart: ChartData): boolean {
  const found = hit as CanvasHit | null | undefined;
  if (!found?.node || !found.width || !found.height) return false;
  const ratio = wx.getWindowInfo().pixelRatio || 1;
  found.node.width = Math.round(found.width * ratio);
  found.node.height = Math.round(found.height * ratio);
  const ctx = found.node.getContext('2d');
  ctx.scale(ratio, ratio);
  drawStackedBars(ctx, chart.bars, chart.series, found.width, found.height, { ...DEFAULT_THEME, empty: t('dashboard.noActivities') });
  return true;
}
