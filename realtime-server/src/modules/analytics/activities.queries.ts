import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { ActivityAnalytics, ActivityType } from '@live-crm/shared-types';
import { num, type PeriodBounds, type Scope } from './analytics.scope.js';

// Activity counts are what people logged: the stage changes a move writes count as moves (pipeline analytics).
// In `owner` visibility a rep counts their own (`:mine`).
const LOGGED = `a.type <> 'stage-change' AND (CAST(:mine AS int) IS NULL OR a.actor_id = :mine)`;

const TOTALS_SQL = `
SELECT count(*) FILTER (WHERE a.occurred_at >= :curFrom) AS current,
       count(*) FILTER (WHERE a.occurred_at < :curFrom) AS previous
FROM activities a
WHERE a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND ${LOGGED} AND a.occurred_at >= :prevFrom AND a.occurred_at < :curTo`;

const BY_TYPE_SQL = `
SELECT a.type, count(*) AS count
FROM activities a
WHERE a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND ${LOGGED} AND a.occurred_at >= :curFrom AND a.occurred_at < :curTo
GROUP BY a.type
ORDER BY count(*) DESC, a.type`;

/** Every member of the teams (zero included) plus anyone else who logged activity there, e.g. an admin. */
const BY_REP_SQL = `
WITH period AS (
  SELECT a.actor_id FROM activities a
  WHERE a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND ${LOGGED} AND a.occurred_at >= :curFrom AND a.occurred_at < :curTo
),
people AS (
  SELECT u.id FROM users u WHERE u.tenant_id = :tenantId AND u.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR u.id = :mine)
  UNION SELECT actor_id FROM period
)
SELECT u.id, u.name, count(p.actor_id) AS count
FROM people m JOIN users u ON u.id = m.id
LEFT JOIN period p ON p.actor_id = u.id
GROUP BY u.id, u.name
ORDER BY count(p.actor_id) DESC, u.name, u.id`;

const PER_DAY_SQL = `
SELECT to_char(d, 'YYYY-MM-DD') AS date, count(a.id) AS count
FROM generate_series(CAST(:firstDay AS timestamp), CAST(:lastDay AS timestamp), interval '1 day') AS d
LEFT JOIN activities a ON a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND ${LOGGED}
  AND a.occurred_at >= (d AT TIME ZONE :tz) AND a.occurred_at < ((d + interval '1 day') AT TIME ZONE :tz)
GROUP BY d
ORDER BY d`;

/** Only the non-zero (day, type) pairs; the chart fills the gaps from `perDay`. */
const PER_DAY_TYPE_SQL = `
SELECT to_char(d, 'YYYY-MM-DD') AS date, a.type, count(*) AS count
FROM generate_series(CAST(:firstDay AS timestamp), CAST(:lastDay AS timestamp), interval '1 day') AS d
JOIN activities a ON a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND ${LOGGED}
  AND a.occurred_at >= (d AT TIME ZONE :tz) AND a.occurred_at < ((d + interval '1 day') AT TIME ZONE :tz)
GROUP BY d, a.type
ORDER BY d, a.type`;

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
