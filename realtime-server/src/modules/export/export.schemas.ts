import { z } from 'zod';
import { localDate } from '../analytics/analytics.schemas.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const teamId = id.optional();

/** Filters are `.strict()`: an unknown key or an operator object is a 400, never a silent no-op. */
export const CustomerFilters = z
  .object({
    teamId,
    status: z.enum(['all', 'lead', 'prospect', 'active', 'inactive']).optional(),
    keyword: z.string().trim().min(1).max(100).optional(),
    ownerId: id.optional(),
    createdFrom: localDate.optional(),
    createdTo: localDate.optional(),
  })
  .strict();

export const OpportunityFilters = z
  .object({
    teamId,
    stageId: id.optional(),
    outcome: z.enum(['open', 'won', 'lost']).optional(),
    ownerId: id.optional(),
    createdFrom: localDate.optional(),
    createdTo: localDate.optional(),
  })
  .strict();

export const TaskFilters = z
  .object({
    teamId,
    status: z.enum(['pending', 'in_progress', 'completed']).optional(),
    assigneeId: id.optional(),
    dueFrom: localDate.optional(),
    dueTo: localDate.optional(),
  })
  .strict();

export const ActivityFilters = z
  .object({
    teamId,
    type: z.enum(['call', 'meeting', 'email', 'message', 'wechat', 'note', 'visit', 'stage-change', 'follow-up', 'other']).optional(),
    actorId: id.optional(),
    from: localDate.optional(),
    to: localDate.optional(),
  })
  .strict();

export const FILTERS = {
  customers: CustomerFilters,
  opportunities: OpportunityFilters,
  tasks: TaskFilters,
  activities: ActivityFilters,
} as const;

const locale = z.enum(['zh-CN', 'en']).default('zh-CN');

export const ExportBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customers'), filters: CustomerFilters.default({}), locale }),
  z.object({ type: z.literal('opportunities'), filters: OpportunityFilters.default({}), locale }),
  z.object({ type: z.literal('tasks'), filters: TaskFilters.default({}), locale }),
  z.object({ type: z.literal('activities'), filters: ActivityFilters.default({}), locale }),
]);

export const DownloadQuery = z.object({ token: z.string().min(1).max(4096) }).strict();
