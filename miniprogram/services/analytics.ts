import type {
  ActivityAnalyticsResponse,
  AnalyticsPeriod,
  AnalyticsTeamsResponse,
  Id,
  PipelineAnalyticsResponse,
  ReportResponse,
  SalesAnalyticsResponse,
  WeeklyTeamReport,
} from '@live-crm/shared-types';
import { api } from './api';
import type { Query } from './api';

/** REST contract section 5: the dashboard's numbers, computed by the server for the caller's team. */

/** `teamId` only counts for an admin; for anyone else the server uses their own team. */
function scoped(period: AnalyticsPeriod, teamId: Id | null): Query {
  return teamId === null ? { period } : { period, teamId };
}

export function getSales(period: AnalyticsPeriod, teamId: Id | null = null): Promise<SalesAnalyticsResponse> {
  return api.get<SalesAnalyticsResponse>('/api/crm/analytics/sales', scoped(period, teamId));
}

export function getPipelineAnalytics(period: AnalyticsPeriod, teamId: Id | null = null): Promise<PipelineAnalyticsResponse> {
  return api.get<PipelineAnalyticsResponse>('/api/crm/analytics/pipeline', scoped(period, teamId));
}

export function getActivityAnalytics(period: AnalyticsPeriod, teamId: Id | null = null): Promise<ActivityAnalyticsResponse> {
  return api.get<ActivityAnalyticsResponse>('/api/crm/analytics/activities', scoped(period, teamId));
}

/** The teams the caller may look at (an admin: every team of the tenant). */
export async function getTeams(): Promise<AnalyticsTeamsResponse['teams']> {
  return (await api.get<AnalyticsTeamsResponse>('/api/crm/analytics/teams')).teams;
}

/** The weekly team report; `weekStart` is a local Monday (YYYY-MM-DD), default the running week. */
export async function getWeeklyReport(weekStart: string | null, teamId: Id | null = null): Promise<WeeklyTeamReport> {
  const parameters = { ...(weekStart ? { weekStart } : {}), ...(teamId === null ? {} : { teamId }) };
  return (await api.post<ReportResponse>('/api/crm/reports/generate', { type: 'weekly-team', parameters })).report;
}
