import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { AnalyticsPeriod, AnalyticsWindow } from '@live-crm/shared-types';
import { assertTeamAccess, type Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';

/** Which rows a read covers: always one tenant, and a non-empty list of its teams. */
export interface Scope {
  tenantId: number;
  teamIds: number[];
  timeZone: string;
  /** A rep in an `owner` visibility team: the numbers cover their own records (and the pool's customers). */
  mine: number | null;
}

/** Absolute bounds of both sides of a trend, ready to pass as replacements. */
export interface PeriodBounds {
  curFrom: Date;
  curTo: Date;
  prevFrom: Date;
  firstDay: string;
  lastDay: string;
  /** The previous period's first local day. */
  prevFirstDay: string;
}

export const PERIOD_DAYS: Record<AnalyticsPeriod, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };

/**
 * Reps and managers always read their own team (a `teamId` they send changes nothing); an admin reads
 * the team they pick, or every team of their tenant when they pick none.
 */
export function teamsOf(actor: Actor, requested?: number): number[] {
  if (actor.role === 'admin') {
    if (requested !== undefined) {
      assertTeamAccess(actor, requested, 'Team');
      return [requested];
    }
    if (actor.teamIds.length === 0) throw new AppError('not_found', 'Your tenant has no team yet');
    return [...actor.teamIds];
  }
  if (actor.teamId === null) throw new AppError('forbidden', 'You are not a member of a team');
  return [actor.teamId];
}

/** A tenant with a blank zone is read in the server's TZ_DEFAULT (`defaultTimeZone`), as tasks are. */
export async function resolveScope(db: Database, actor: Actor, defaultTimeZone: string, requested?: number): Promise<Scope> {
  const teamIds = teamsOf(actor, requested);
  const tenant = await db.models.Tenant.findByPk(actor.tenantId, { attributes: ['timeZone'] });
  if (!tenant) throw new AppError('not_found', 'Tenant not found');
  const own = actor.role === 'rep' && (await db.models.TeamSettings.count({ where: { teamId: teamIds, visibility: 'owner' } })) > 0;
  return { tenantId: actor.tenantId, teamIds, timeZone: tenant.timeZone || defaultTimeZone, mine: own ? actor.userId : null };
}

interface BoundsRow {
  cur_from: Date;
  cur_to: Date;
  prev_from: Date;
  first_day: string;
  last_day: string;
  prev_first: string;
  prev_last: string;
}

/**
 * The current period is the last N local days of the tenant, today included; the previous one is
 * the N days before it. Computed by PostgreSQL in the tenant time zone, so DST days stay whole.
 */
export async function periodWindow(
  db: Database,
  scope: Scope,
  period: AnalyticsPeriod,
): Promise<{ bounds: PeriodBounds; window: AnalyticsWindow }> {
  const [row] = await db.sequelize.query<BoundsRow>(
    `SELECT d AT TIME ZONE :tz AS cur_from,
            (d + CAST(:days AS int) * interval '1 day') AT TIME ZONE :tz AS cur_to,
            (d - CAST(:days AS int) * interval '1 day') AT TIME ZONE :tz AS prev_from,
            to_char(d, 'YYYY-MM-DD') AS first_day,
            to_char(d + (CAST(:days AS int) - 1) * interval '1 day', 'YYYY-MM-DD') AS last_day,
            to_char(d - CAST(:days AS int) * interval '1 day', 'YYYY-MM-DD') AS prev_first,
            to_char(d - interval '1 day', 'YYYY-MM-DD') AS prev_last
     FROM (SELECT date_trunc('day', now() AT TIME ZONE :tz) - (CAST(:days AS int) - 1) * interval '1 day' AS d) b`,
    { replacements: { tz: scope.timeZone, days: PERIOD_DAYS[period] }, type: QueryTypes.SELECT },
  );
  if (!row) throw new AppError('internal', 'Could not compute the period');
  const bounds = {
    curFrom: row.cur_from,
    curTo: row.cur_to,
    prevFrom: row.prev_from,
    firstDay: row.first_day,
    lastDay: row.last_day,
    prevFirstDay: row.prev_first,
  };
  const window: AnalyticsWindow = {
    period,
    timeZone: scope.timeZone,
    teamIds: scope.teamIds,
    current: { from: row.cur_from.toISOString(), to: row.cur_to.toISOString(), firstDay: row.first_day, lastDay: row.last_day },
    previous: { from: row.prev_from.toISOString(), to: row.cur_from.toISOString(), firstDay: row.prev_first, lastDay: row.prev_last },
  };
  return { bounds, window };
}

/** pg hands back BIGINT and NUMERIC as strings; metrics are plain numbers. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
