import type { Database } from '@live-crm/models';
import type {
  ActivityAnalyticsResponse,
  AnalyticsPeriod,
  AnalyticsTeamsResponse,
  CustomerAnalyticsResponse,
  PipelineAnalyticsResponse,
  ReportRequest,
  ReportResponse,
  SalesAnalyticsResponse,
} from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { activityAnalytics } from './activities.queries.js';
import { periodWindow, resolveScope, teamsOf } from './analytics.scope.js';
import { customerAnalytics } from './customers.queries.js';
import { pipelineAnalytics } from './pipeline.queries.js';
import { weeklyTeamReport } from './report.queries.js';
import { salesMetrics } from './sales.queries.js';

export interface AnalyticsServiceDeps {
  db: Database;
  /** Days the team event log keeps facts; stage moves older than that are gone. */
  eventRetentionDays: number;
  /** TZ_DEFAULT: the zone of a tenant whose own is blank. */
  defaultTimeZone: string;
}
export interface AnalyticsOptions {
  period: AnalyticsPeriod;
  teamId?: number | undefined;
}

/** Read-only: every number is one SQL aggregate over the caller's scope, in the tenant time zone. */
export function createAnalyticsService({ db, eventRetentionDays, defaultTimeZone }: AnalyticsServiceDeps) {
  async function prepare(actor: Actor, opts: AnalyticsOptions) {
    const scope = await resolveScope(db, actor, defaultTimeZone, opts.teamId);
    const { bounds, window } = await periodWindow(db, scope, opts.period);
    return { scope, bounds, window };
  }

  return {
    async sales(actor: Actor, opts: AnalyticsOptions): Promise<SalesAnalyticsResponse> {
      const { scope, bounds, window } = await prepare(actor, opts);
      return { metrics: await salesMetrics(db, scope, bounds), window };
    },

    async pipeline(actor: Actor, opts: AnalyticsOptions & { rottingDays: number }): Promise<PipelineAnalyticsResponse> {
      const { scope, bounds, window } = await prepare(actor, opts);
      // Stage moves come from the event log, which is pruned: count them from its horizon at most.
      const horizon = new Date(Date.now() - eventRetentionDays * 86_400_000);
      const movesFrom = bounds.curFrom > horizon ? bounds.curFrom : horizon;
      return { analytics: await pipelineAnalytics(db, scope, { ...bounds, movesFrom }, opts.rottingDays), window };
    },

    async customers(actor: Actor, opts: AnalyticsOptions): Promise<CustomerAnalyticsResponse> {
      const { scope, bounds, window } = await prepare(actor, opts);
      return { analytics: await customerAnalytics(db, scope, bounds), window };
    },

    async activities(actor: Actor, opts: AnalyticsOptions): Promise<ActivityAnalyticsResponse> {
      const { scope, bounds, window } = await prepare(actor, opts);
      return { analytics: await activityAnalytics(db, scope, bounds), window };
    },

    /** The teams a dashboard may show, so an admin can pick one by name. */
    async teams(actor: Actor): Promise<AnalyticsTeamsResponse> {
      const rows = await db.models.Team.findAll({
        where: { tenantId: actor.tenantId, id: teamsOf(actor) },
        attributes: ['id', 'name'],
        order: [
          ['name', 'ASC'],
          ['id', 'ASC'],
        ],
      });
      return { teams: rows.map((t) => ({ id: t.id, name: t.name })) };
    },

    async report(actor: Actor, req: ReportRequest): Promise<ReportResponse> {
      const scope = await resolveScope(db, actor, defaultTimeZone, req.parameters?.teamId);
      return { report: await weeklyTeamReport(db, scope, req.parameters?.weekStart) };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
