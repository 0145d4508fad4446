import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const month = z.string({ error: 'month is required, YYYY-MM' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM, e.g. 2025-03');

export const TargetBody = z.object({
  userId: z.number({ error: 'userId is required' }).int().positive().max(2_147_483_647),
  month: month.refine((m) => !m.startsWith('0000'), 'month must fall in the years 0001 to 9999'),
  wonValueCents: z
    .number({ error: 'wonValueCents is required (integer cents)' })
    .int('wonValueCents is integer cents')
    .min(0, 'wonValueCents cannot be negative')
    .max(10_000_000_000_000, 'wonValueCents is at most 10^13 cents'),
});

export const LeaderboardQuery = z
  .object({
    month: month.refine((m) => !m.startsWith('0000'), 'month must fall in the years 0001 to 9999').optional(),
    teamId: id.optional(),
  })
  .strict();

export type TargetInput = z.infer<typeof TargetBody>;
export type LeaderboardInput = z.infer<typeof LeaderboardQuery>;
