import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { WeeklyReportCounts, WeeklyReportRow, WeeklyTeamReport } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';
import { exactCents, totalCents } from '../../core/money.js';
import { num, type Scope } from './analytics.scope.js';

/** Monday of the week holding `weekStart` (default: today), local to the tenant, and the Monday after. */
const WEEK_SQL = `
SELECT w AT TIME ZONE :tz AS starts, (w + interval '7 days') AT TIME ZONE :tz AS ends,
  to_char(w, 'YYYY-MM-DD') AS week_start, to_char(w + interval '7 days', 'YYYY-MM-DD') AS week_end
FROM (SELECT date_trunc('week', CAST(COALESCE(CAST(:weekStart AS date), CAST(now() AT TIME ZONE :tz AS date)) AS timestamp)) AS w) b`;

/**
 * Per member of the teams. Calls and meetings are logged activities; deals moved are `opportunity:moved`
 * facts by the member; won value is of deals they own closed won in the week; overdue tasks were open
 * and past due at the week's end (or now, while the week runs).
 */
const ROWS_SQL = `
SELECT u.id, u.name, u.role,
  (SELECT count(*) FROM activities a WHERE a.actor_id = u.id AND a.team_id IN (:teamIds) AND a.type = 'call'
     AND a.occurred_at >= :starts AND a.occurred_at < :ends) AS calls,
  (SELECT count(*) FROM activities a WHERE a.actor_id = u.id AND a.team_id IN (:teamIds) AND a.type = 'meeting'
     AND a.occurred_at >= :starts AND a.occurred_at < :ends) AS meetings,
  (SELECT count(*) FROM team_events e WHERE e.actor_id = u.id AND e.team_id IN (:teamIds) AND e.type = 'opportunity:moved'
     AND e.at >= :starts AND e.at < :ends) AS deals_moved,
  (SELECT COALESCE(sum(o.value_cents), 0) FROM opportunities o JOIN stages s ON s.id = o.stage_id AND s.outcome = 'won'
     WHERE o.owner_id = u.id AND o.team_id IN (:teamIds) AND o.closed_at >= :starts AND o.closed_at < :ends) AS won_value,
  (SELECT count(*) FROM tasks t WHERE t.assignee_id = u.id AND t.team_id IN (:teamIds) AND t.status = 'completed'
     AND t.completed_at >= :starts AND t.completed_at < :ends) AS tasks_completed,
  (SELECT count(*) FROM tasks t WHERE t.assignee_id = u.id AND t.team_id IN (:teamIds) AND t.due_at < :cutoff
     AND NOT (t.status = 'completed' AND (t.completed_at IS NULL OR t.completed_at < :cutoff))) AS tasks_overdue
FROM users u
WHERE u.tenant_id = :tenantId AND u.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR u.id = :mine)
ORDER BY u.name, u.id`;

interface WeekRow {
  starts: Date;
  ends: Date;
  week_start: string;
  week_end: string;
}
interface Row {
  id: number;
  name: string;
  role: WeeklyReportRow['role'];
  calls: string;
  meetings: string;
  deals_moved: string;
  won_value: string;
  tasks_completed: string;
  tasks_overdue: string;
}

const COUNTS: Array<keyof WeeklyReportCounts> = ['calls', 'meetings', 'dealsMoved', 'wonValueCents', 'tasksCompleted', 'tasksOverdue'];

export async function weeklyTeamReport(
  db: Database,
  scope: Scope,
  weekStart: string | undefined,
  now = new Date(),
): Promise<WeeklyTeamReport> {
  const [week] = await db.sequelize.query<WeekRow>(WEEK_SQL, {
    replacements: { tz: scope.timeZone, weekStart: weekStart ?? null },
    type: QueryTypes.SELECT,
  });
  if (!week) throw new AppError('internal', 'Could not compute the week');
  const cutoff = week.ends < now ? week.ends : now;
  const rows = await db.sequelize.query<Row>(ROWS_SQL, {
    replacements: { tenantId: scope.tenantId, teamIds: scope.teamIds, mine: scope.mine, starts: week.starts, ends: week.ends, cutoff },
    type: QueryTypes.SELECT,
  });
  const reportRows = rows.map((r): WeeklyReportRow => ({
    userId: r.id,
    name: r.name,
    role: r.role,
    calls: num(r.calls),
    meetings: num(r.meetings),
    dealsMoved: num(r.deals_moved),
    wonValueCents: exactCents(r.won_value),
    tasksCompleted: num(r.tasks_completed),
    tasksOverdue: num(r.tasks_overdue),
  }));
  const totals: WeeklyReportCounts = { calls: 0, meetings: 0, dealsMoved: 0, wonValueCents: 0, tasksCompleted: 0, tasksOverdue: 0 };
  for (const row of reportRows) for (const k of COUNTS) totals[k] += row[k];
  totals.wonValueCents = totalCents(reportRows.map((r) => r.wonValueCents));
  return {
    type: 'weekly-team',
    teamIds: scope.teamIds,
    timeZone: scope.timeZone,
    weekStart: week.week_start,
    weekEnd: week.week_end,
    from: week.starts.toISOString(),
    to: week.ends.toISOString(),
    generatedAt: now.toISOString(),
    rows: reportRows,
    totals,
  };
}
