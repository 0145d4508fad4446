import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { ActivityAnalytics, ActivityType } from '@live-crm/shared-types';
import { num, type PeriodBounds, type Scope } from './analytics.scope.js';

// Activity counts are what people logged, summed from the per-day counts (migration 0013's
// activity_days, kept by triggers; stage changes count as moves in pipeline analytics). Days are the
// tenant's local days, as the period's are. In `owner` visibility a rep counts their own (`:mine`).
const SCOPE = `d.tenant_id = :tenantId AND d.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR d.actor_id = :mine)`;
const CURRENT = `${SCOPE} AND d.day BETWEEN CAST(:firstDay AS date) AND CAST(:lastDay AS date)`;

const TOTALS_SQL = `
SELECT sum(d.count) FILTER (WHERE d.day >= CAST(:firstDay AS date)) AS current,
       sum(d.count) FILTER (WHERE d.day < CAST(:firstDay AS date)) AS previous
FROM activity_days d
WHERE ${SCOPE} AND d.day BETWEEN CAST(:prevFirstDay AS date) AND CAST(:lastDay AS date)`;

const BY_TYPE_SQL = `
SELECT d.type, sum(d.count) AS count
FROM activity_days d
WHERE ${CURRENT}
GROUP BY d.type
HAVING sum(d.count) > 0
ORDER BY sum(d.count) DESC, d.type`;

/** Every member of the teams (zero included) plus anyone else who logged activity there, e.g. an admin. */
const BY_REP_SQL = `
WITH period AS (
  SELECT d.actor_id, sum(d.count) AS count FROM activity_days d WHERE ${CURRENT} GROUP BY d.actor_id HAVING sum(d.count) > 0
),
people AS (
  SELECT u.id FROM users u WHERE u.tenant_id = :tenantId AND u.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR u.id = :mine)
  UNION SELECT actor_id FROM period
)
SELECT u.id, u.name, coalesce(p.count, 0) AS count
FROM people m JOIN users u ON u.id = m.id
LEFT JOIN period p ON p.actor_id = u.id
ORDER BY coalesce(p.count, 0) DESC, u.name, u.id`;

const PER_DAY_SQL = `
SELECT to_char(s.day, 'YYYY-MM-DD') AS date, coalesce(sum(d.count), 0) AS count
FROM generate_series(CAST(:firstDay AS date), CAST(:lastDay AS date), interval '1 day') AS s(day)
LEFT JOIN activity_days d ON ${SCOPE} AND d.day = s.day::date
GROUP BY s.day
ORDER BY s.day`;

/** Only the non-zero (day, type) pairs; the chart fills the gaps from `perDay`. */
const PER_DAY_TYPE_SQL = `
SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.type, sum(d.count) AS count
FROM activity_days d
WHERE ${CURRENT}
GROUP BY d.day, d.type
HAVING sum(d.count) > 0
ORDER BY d.day, d.type`;

export async function activityAnalytics(db: Database, scope: Scope, b: PeriodBounds): Promise<ActivityAnalytics> {
  const replacements = { tenantId: scope.tenantId, teamIds: scope.teamIds, mine: scope.mine, tz: scope.timeZone, ...b };
  const q = <T extends object>(sql: string) => db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const [[totals], byType, byRep, perDay, perDayByType] = await Promise.all([
    q<{ current: string; previous: string }>(TOTALS_SQL),
    q<{ type: ActivityType; count: string }>(BY_TYPE_SQL),
    q<{ id: number; name: string; count: string }>(BY_REP_SQL),
    q<{ date: string; count: string }>(PER_DAY_SQL),
    q<{ date: string; type: ActivityType; count: string }>(PER_DAY_TYPE_SQL),
  ]);
  return {
    total: { current: num(totals?.current), previous: num(totals?.previous) },
    byType: byType.map((r) => ({ type: r.type, count: num(r.count) })),
    byRep: byRep.map((r) => ({ userId: r.id, name: r.name, count: num(r.count) })),
    perDay: perDay.map((r) => ({ date: r.date, count: num(r.count) })),
    perDayByType: perDayByType.map((r) => ({ date: r.date, type: r.type, count: num(r.count) })),
  };
}
