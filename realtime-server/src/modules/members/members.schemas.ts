import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const bodyId = z.number().int().positive().max(2_147_483_647);

export const InvitationCreate = z.object({
  teamId: bodyId.optional(),
  role: z.enum(['rep', 'manager']),
  expiresInHours: z.number().int().min(1).max(168).default(72),
  maxUses: z.number().int().min(1).max(50).default(1),
});
export type InvitationCreateInput = z.infer<typeof InvitationCreate>;

/** Admins: one team of their tenant; everyone else always gets their own team. */
export const TeamQuery = z.object({ teamId: id.optional() }).strict();

export const JoinBody = z.object({
  code: z.string().trim().min(8).max(64),
  wxCode: z.string().trim().min(1).max(256),
  name: z.string().trim().min(1, 'name is required').max(60),
});
export type JoinInput = z.infer<typeof JoinBody>;

export const DeactivateBody = z.object({ handoverTo: bodyId });
