import { z } from 'zod';
import { PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, phoneKey } from '@live-crm/models';

export const CUSTOMER_STATUSES = ['lead', 'prospect', 'active', 'inactive'] as const;
export const CUSTOMER_SORTS = ['lastContact', 'name', 'createdAt'] as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);
const blankToNull = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? null : v);

/** Optional free text: trimmed, and an empty string clears the field. */
export const text = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max).nullable()).optional();

/**
 * Kept as typed (trimmed) for display; it must read as a phone number (phoneKey), which is what
 * duplicate detection and search compare, so `138-0013-8000` and `+86 13800138000` are one number.
 */
export const phone = z
  .preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(32, 'a phone number is at most 32 characters')
      .refine((v) => phoneKey(v) !== null, `enter a phone number of ${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS} digits`)
      .nullable(),
  )
  .optional();

/** Lower-cased, so duplicate detection and search do not depend on how it was typed. */
export const email = z
  .preprocess(blankToNull, z.string().trim().toLowerCase().pipe(z.email('enter a valid email address').max(254)).nullable())
  .optional();

const name = z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(200);
const status = z.enum(CUSTOMER_STATUSES, { error: `status must be one of ${CUSTOMER_STATUSES.join(', ')}` });

const fields = { company: text(200), phone, email, address: text(500) };

/** `teamId` is honoured for admins only (resolveTeam); a bad one from anyone is simply ignored. */
export const CustomerCreate = z.object({
  name,
  ...fields,
  status: status.optional(),
  teamId: z.number().int().positive().optional().catch(undefined),
});

export const CustomerPatch = z
  .object({
    name: name.optional(),
    ...fields,
    status: status.optional(),
    version: z.number({ error: 'version is required' }).int().positive().max(2_147_483_647),
  })
  .refine((p) => Object.entries(p).some(([k, v]) => k !== 'version' && v !== undefined), { message: 'nothing to change' });

export const CustomerListQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    limit: z.coerce.number().int().min(1).max(100, 'limit is at most 100').default(20),
    keyword: z
      .string()
      .trim()
      .max(100)
      .regex(/^\P{Cc}*$/u, 'keyword cannot contain control characters')
      .optional(),
    status: z.enum([...CUSTOMER_STATUSES, 'all']).default('all'),
    sortBy: z.enum(CUSTOMER_SORTS).default('lastContact'),
    scope: z.enum(['all', 'mine', 'pool'], { error: 'scope must be all, mine or pool' }).default('all'),
    cursor: z.string().max(600).optional(),
    teamId: id.optional(),
  })
  .strict();

export const TimelineQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100, 'limit is at most 100').default(50),
  })
  .strict();

export const ReleaseBody = z.object({
  reason: z.string({ error: 'reason is required' }).trim().min(1, 'say why the customer goes back to the pool').max(500),
});

export const OwnerBody = z.object({ ownerId: z.number({ error: 'ownerId is required' }).int().positive().max(2_147_483_647) });

export const NoteCreate = z.object({
  content: z.string({ error: 'content is required' }).trim().min(1, 'content is required').max(5000),
});

export type CustomerCreateInput = z.infer<typeof CustomerCreate>;
export type CustomerPatchInput = z.infer<typeof CustomerPatch>;
export type CustomerListInput = z.infer<typeof CustomerListQuery>;
