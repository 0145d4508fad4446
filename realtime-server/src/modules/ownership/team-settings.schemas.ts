import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
/** A whole number in range, or null for "no limit". */
const limit = (max: number, what: string) =>
  z
    .number({ error: `${what} must be a whole number or null` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(max, `${what} is at most ${max}`)
    .nullable()
    .optional();

export const SettingsQuery = z.object({ teamId: id.optional() }).strict();

export const SettingsPatch = z
  .object({
    visibility: z.enum(['team', 'owner'], { error: 'visibility must be team or owner' }).optional(),
    recycleAfterDays: z
      .number({ error: 'recycleAfterDays must be a number of days or null' })
      .int('recycleAfterDays must be a whole number of days')
      .min(1, 'recycleAfterDays is at least 1')
      .max(3650, 'recycleAfterDays is at most 3650')
      .nullable()
      .optional(),
    claimLimitPerDay: limit(10_000, 'claimLimitPerDay'),
    holdLimit: limit(100_000, 'holdLimit'),
    teamId: id.optional().catch(undefined),
  })
  .refine((p) => Object.entries(p).some(([k, v]) => k !== 'teamId' && v !== undefined), { message: 'nothing to change' });

export type SettingsPatchInput = z.infer<typeof SettingsPatch>;
