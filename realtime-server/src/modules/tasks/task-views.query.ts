import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import type { Database } from '@live-crm/models';

export type DatedView = 'today' | 'overdue' | 'upcoming';

interface Bounds {
  today_start: Date;
  tomorrow_start: Date;
  horizon: Date;
}

// Day boundaries of "now" in the tenant's time zone, computed by PostgreSQL: `date_trunc` on the
// local wall clock, then back to absolute instants (DST-safe), so an index on due_at still serves.
const BOUNDS_SQL = `
SELECT (d AT TIME ZONE tz) AS today_start,
       ((d + interval '1 day') AT TIME ZONE tz) AS tomorrow_start,
       ((d + make_interval(days => :days + 1)) AT TIME ZONE tz) AS horizon
FROM (
  SELECT tz, date_trunc('day', now() AT TIME ZONE tz) AS d
  FROM (SELECT COALESCE(NULLIF((SELECT time_zone FROM tenants WHERE id = :tenantId), ''), :defaultTz) AS tz) zone
) local_day`;

/** today: due today; overdue: due before today and not completed; upcoming: the next `days` days after today. */
export function createTaskViews(db: Database, defaultTimeZone: string) {
  return {
    async where(tenantId: number, view: DatedView, days: number): Promise<WhereOptions> {
      const [b] = await db.sequelize.query<Bounds>(BOUNDS_SQL, {
        replacements: { tenantId, days, defaultTz: defaultTimeZone },
        type: QueryTypes.SELECT,
      });
      if (!b) throw new Error('time zone bounds query returned nothing');
      switch (view) {
        case 'today':
          return { dueAt: { [Op.gte]: b.today_start, [Op.lt]: b.tomorrow_start } };
        case 'overdue':
          return { dueAt: { [Op.lt]: b.today_start }, status: { [Op.ne]: 'completed' } };
        case 'upcoming':
          return { dueAt: { [Op.gte]: b.tomorrow_start, [Op.lt]: b.horizon } };
      }
    },
  };
}
