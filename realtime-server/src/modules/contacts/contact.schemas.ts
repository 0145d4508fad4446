import { z } from 'zod';
import { email, phone, text } from '../customers/customer.schemas.js';

export const CONTACT_ROLES = ['decision-maker', 'influencer', 'user', 'other'] as const;

const name = z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(120);
const fields = {
  title: text(120),
  phone,
  email,
  wechat: text(64),
  role: z.enum(CONTACT_ROLES, { error: `role must be one of ${CONTACT_ROLES.join(', ')}` }).optional(),
  primary: z.boolean({ error: 'primary is true or false' }).optional(),
};

export const ContactCreate = z.object({ name, ...fields });

export const ContactPatch = z
  .object({
    name: name.optional(),
    ...fields,
    version: z.number({ error: 'version is required' }).int().positive().max(2_147_483_647),
  })
  .refine((p) => Object.entries(p).some(([k, v]) => k !== 'version' && v !== undefined), { message: 'nothing to change' });

export type ContactCreateInput = z.infer<typeof ContactCreate>;
export type ContactPatchInput = z.infer<typeof ContactPatch>;
