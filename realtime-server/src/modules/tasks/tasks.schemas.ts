import { z } from 'zod';
import { instant } from '../../core/calendar.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const bodyId = z.number().int().positive().max(2_147_483_647);
const when = instant().transform((s) => new Date(s));

export const TASK_STATUSES = ['pending', 'in_progress', 'completed'] as const;
const TASK_TYPES = ['call', 'follow-up', 'meeting', 'email', 'other'] as const;
const PRIORITIES = ['low', 'medium', 'high'] as const;

/** Named filters only: `.strict()` makes `dueDate[$gte]=` or any other unknown key a 400. */
export const TaskListQuery = z
  .object({
    view: z.enum(['today', 'overdue', 'upcoming', 'all']).default('all'),
    days: z.coerce.number().int().min(1).max(90).default(7),
    status: z.enum(TASK_STATUSES).optional(),
    assigneeId: id.optional(),
    customerId: id.optional(),
    /** Admins: one team of their tenant; others only ever see their own team. */
    teamId: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const fields = {
  title: z.string().trim().min(1, 'title is required').max(200),
  description: z.string().max(5000).nullable().optional(),
  type: z.enum(TASK_TYPES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  customerId: bodyId.nullable().optional(),
  dueAt: when.nullable().optional(),
  remindAt: when.nullable().optional(),
};

export const TaskCreate = z.object({ ...fields, assigneeId: bodyId.nullable().optional() });

export const TaskUpdate = z.object({
  ...fields,
  title: fields.title.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  /** Accepted only when unchanged (edit forms send the whole task); reassigning is PUT .../assign. */
  assigneeId: bodyId.nullable().optional(),
  version: bodyId,
});

export const AssignBody = z.object({ assigneeId: bodyId });

export type TaskCreateInput = z.infer<typeof TaskCreate>;
export type TaskUpdateInput = z.infer<typeof TaskUpdate>;
export type TaskListInput = z.infer<typeof TaskListQuery>;
