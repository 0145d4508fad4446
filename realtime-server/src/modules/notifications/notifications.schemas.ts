import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const limit = z.coerce.number().int().min(1).max(100).default(50);

export const NotificationsQuery = z.object({ limit, before: id.optional() }).strict();

export const NoQuery = z.object({}).strict();

export const MarkReadBody = z.object({
  ids: z.array(z.number().int().positive().max(2_147_483_647)).max(500).optional(),
});

export const ConsentBody = z.object({
  templateId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'not a template id'),
  accepted: z.boolean(),
});
