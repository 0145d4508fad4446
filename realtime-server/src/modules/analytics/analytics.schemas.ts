import { z } from 'zod';
import { calendarDate } from '../../core/calendar.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const period = z.enum(['7d', '30d', '90d', '365d']).default('30d');

/** Query strings: `.strict()` so an operator object such as `period[$gte]` is a 400, not a filter. */
export const AnalyticsQuery = z.object({ period, teamId: id.optional() }).strict();

export const PipelineAnalyticsQuery = AnalyticsQuery.extend({
  rottingDays: z.coerce.number().int().min(1).max(365).default(14),
}).strict();

/** A real calendar day, YYYY-MM-DD. */
export const localDate = calendarDate('use YYYY-MM-DD');

/** Bodies strip unknown keys; the report type picks the parameters. */
export const ReportBody = z.object({
  type: z.literal('weekly-team'),
  parameters: z
    .object({
      weekStart: localDate.optional(),
      teamId: z.number().int().positive().max(2_147_483_647).optional(),
    })
    .default({}),
});
