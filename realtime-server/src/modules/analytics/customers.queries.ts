import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { ActivityType, CustomerAnalytics, CustomerStatus, DayCount } from '@live-crm/shared-types';
import { num, type PeriodBounds, type Scope } from './analytics.scope.js';

/** Activity types that mean someone spoke with the customer (a note or a stage change does not). */
export const CONTACT_TYPES: ActivityType[] = ['call', 'meeting', 'email', 'message', 'visit', 'follow-up', 'wechat'];

/** One row per status; the totals ride along as window sums over the groups. */
const STATUS_SQL = `
SELECT c.status, count(*) AS count,
  sum(count(*)) OVER () AS total,
  sum(count(*) FILTER (WHERE c.created_at >= :curFrom AND c.created_at < :curTo)) OVER () AS new_current,
  sum(count(*) FILTER (WHERE c.created_at >= :prevFrom AND c.created_at < :curFrom)) OVER () AS new_previous,
  sum(count(*) FILTER (WHERE (c.last_contact_at >= :curFrom AND c.last_contact_at < :curTo)
    OR EXISTS (SELECT 1 FROM activities a WHERE a.customer_id = c.id AND a.type IN (:contactTypes)
               AND a.occurred_at >= :curFrom AND a.occurred_at < :curTo))) OVER () AS contacted
FROM customers c
WHERE c.tenant_id = :tenantId AND c.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR c.owner_id = :mine OR c.owner_id IS NULL)
GROUP BY c.status
ORDER BY c.status`;

/** One bucket per local day of the period, empty days included. */
const NEW_PER_DAY_SQL = `
SELECT to_char(d, 'YYYY-MM-DD') AS date, count(c.id) AS count
FROM generate_series(CAST(:firstDay AS timestamp), CAST(:lastDay AS timestamp), interval '1 day') AS d
LEFT JOIN customers c ON c.tenant_id = :tenantId AND c.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR c.owner_id = :mine OR c.owner_id IS NULL)
  AND c.created_at >= (d AT TIME ZONE :tz) AND c.created_at < ((d + interval '1 day') AT TIME ZONE :tz)
GROUP BY d
ORDER BY d`;

interface StatusRow {
  status: CustomerStatus;
  count: string;
  total: string;
  new_current: string;
  new_previous: string;
  contacted: string;
}

export async function customerAnalytics(db: Database, scope: Scope, b: PeriodBounds): Promise<CustomerAnalytics> {
  const replacements = {
    tenantId: scope.tenantId,
    teamIds: scope.teamIds,
    mine: scope.mine,
    tz: scope.timeZone,
    contactTypes: CONTACT_TYPES,
    ...b,
  };
  const [statuses, perDay] = await Promise.all([
    db.sequelize.query<StatusRow>(STATUS_SQL, { replacements, type: QueryTypes.SELECT }),
    db.sequelize.query<DayCount & { count: string }>(NEW_PER_DAY_SQL, { replacements, type: QueryTypes.SELECT }),
  ]);
  const head = statuses[0];
  const total = num(head?.total);
  const contacted = num(head?.contacted);
  return {
    total,
    newCustomers: { current: num(head?.new_current), previous: num(head?.new_previous) },
    byStatus: statuses.map((r) => ({ status: r.status, count: num(r.count) })),
    contacted,
    notContacted: total - contacted,
    newPerDay: perDay.map((r) => ({ date: r.date, count: num(r.count) })),
  };
}
