import { QueryTypes, type Sequelize } from 'sequelize';
import type { LeaderboardRow } from '@live-crm/shared-types';

/**
 * Each active rep and manager of the team for one month of the tenant's calendar: deals they own
 * that closed won in the month (value and count), activities they logged in it (a move's
 * stage-change is the server's, not theirs), and their target. Ordered by won value, then id.
 */
const LEADERBOARD_SQL = `
WITH bounds AS (
  SELECT (CAST(:month || '-01' AS timestamp) AT TIME ZONE :tz) AS from_at,
         ((CAST(:month || '-01' AS timestamp) + interval '1 month') AT TIME ZONE :tz) AS to_at
)
SELECT u.id AS user_id, u.name, COALESCE(w.value, 0)::bigint AS won_value_cents, COALESCE(w.n, 0) AS won_count,
       COALESCE(act.n, 0) AS activity_count, COALESCE(t.won_value_cents, 0)::bigint AS target_cents
  FROM users u CROSS JOIN bounds b
  LEFT JOIN LATERAL (
    SELECT sum(o.value_cents) AS value, count(*)::int AS n
      FROM opportunities o JOIN stages s ON s.id = o.stage_id
     WHERE o.team_id = :teamId AND o.owner_id = u.id AND s.outcome = 'won' AND o.closed_at >= b.from_at AND o.closed_at < b.to_at
  ) w ON true
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS n FROM activities a
     WHERE a.team_id = :teamId AND a.actor_id = u.id AND a.type <> 'stage-change'
       AND a.occurred_at >= b.from_at AND a.occurred_at < b.to_at
  ) act ON true
  LEFT JOIN targets t ON t.user_id = u.id AND t.month = :month
 WHERE u.team_id = :teamId AND u.active AND u.role IN ('rep', 'manager')
 ORDER BY won_value_cents DESC, u.id`;

interface Row {
  user_id: number;
  name: string;
  won_value_cents: string;
  won_count: number;
  activity_count: number;
  target_cents: string;
}

export async function leaderboardRows(sequelize: Sequelize, q: { teamId: number; month: string; tz: string }): Promise<LeaderboardRow[]> {
  const rows = await sequelize.query<Row>(LEADERBOARD_SQL, { replacements: q, type: QueryTypes.SELECT });
  return rows.map((r) => {
    const won = Number(r.won_value_cents);
    const target = Number(r.target_cents);
    return {
      userId: r.user_id,
      name: r.name,
      wonValueCents: won,
      targetCents: target,
      completion: target > 0 ? Math.round((won / target) * 10_000) / 10_000 : null,
      wonCount: r.won_count,
      activityCount: r.activity_count,
    };
  });
}

/** This month (YYYY-MM) in a time zone. */
export function currentMonth(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}`;
}
