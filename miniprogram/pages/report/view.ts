import type { WeeklyReportCounts, WeeklyTeamReport } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { formatDateTime, formatMoneyCompact, formatShortDate } from '../../utils/format';

/** The weekly report as t-table columns and rows of display strings. */

export interface ReportRow {
  id: string;
  name: string;
  calls: string;
  meetings: string;
  dealsMoved: string;
  wonValue: string;
  tasksCompleted: string;
  tasksOverdue: string;
}

export interface TableColumn {
  colKey: keyof ReportRow;
  title: string;
  width: number;
  align?: 'center' | 'right';
  fixed?: 'left';
}

export function reportColumns(): TableColumn[] {
  // px, summing to 357 so all seven fit a 375 px phone inside 8 px side margins
  const n = (colKey: TableColumn['colKey'], title: string, width: number): TableColumn => ({ colKey, title, width, align: 'center' });
  return [
    { colKey: 'name', title: t('report.member'), width: 86, fixed: 'left' },
    n('calls', t('report.calls'), 40),
    n('meetings', t('report.meetings'), 40),
    n('dealsMoved', t('report.dealsMoved'), 50),
    { colKey: 'wonValue', title: t('report.wonValue'), width: 58, align: 'right' },
    n('tasksCompleted', t('report.tasksCompleted'), 46),
    n('tasksOverdue', t('report.tasksOverdue'), 37),
  ];
}

function cells(id: string, name: string, c: WeeklyReportCounts): ReportRow {
  return {
    id,
    name,
    calls: String(c.calls),
    meetings: String(c.meetings),
    dealsMoved: String(c.dealsMoved),
    wonValue: formatMoneyCompact(c.wonValueCents),
    tasksCompleted: String(c.tasksCompleted),
    tasksOverdue: String(c.tasksOverdue),
  };
}

/** One row per member, then the team's totals. */
export function reportRows(report: WeeklyTeamReport): ReportRow[] {
  if (report.rows.length === 0) return [];
  return [...report.rows.map((r) => cells(String(r.userId), r.name, r)), cells('total', t('report.total'), report.totals)];
}

const DAY_MS = 86_400_000;

/** "2025-06-16" plus `days` days, as a calendar date (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday to Sunday: `weekEnd` is the following Monday. */
export function weekRange(report: WeeklyTeamReport): string {
  return t('dashboard.range', { from: formatShortDate(report.weekStart), to: formatShortDate(addDays(report.weekEnd, -1)) });
}

export function generatedAt(report: WeeklyTeamReport): string {
  return t('report.generatedAt', { time: formatDateTime(report.generatedAt) });
}
