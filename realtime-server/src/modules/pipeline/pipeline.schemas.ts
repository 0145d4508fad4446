import type { CommandType } from '@live-crm/shared-types';
import { z } from 'zod';
import type { CanonicalCommand } from '../../core/mutation.js';
import { calendarDate } from '../../core/calendar.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);
/**
 * The business maximum for one deal: 10^13 cents (100 billion yuan), so sums stay exact: 900 such
 * deals still total below 2^53 (core/money.ts checks every total it hands out).
 */
export const MAX_VALUE_CENTS = 10 ** 13;
const cents = z.number().int().min(0).max(MAX_VALUE_CENTS, 'valueCents is at most 10000000000000 (100 billion yuan)');
const title = z.string().trim().min(1, 'title is required').max(200);
const date = calendarDate('use YYYY-MM-DD').nullable();

export const PipelineQuery = z.object({ teamId: id.optional() }).strict();

export const OpportunityCreate = z.object({
  customerId: z.number().int().positive().max(2_147_483_647),
  title,
  valueCents: cents,
  stageId: z.number().int().positive().max(2_147_483_647).optional(),
  expectedCloseDate: date.optional(),
});

export const OpportunityPatch = z.object({
  title: title.optional(),
  valueCents: cents.optional(),
  expectedCloseDate: date.optional(),
  version: z.number().int().positive().max(2_147_483_647),
});

export const MoveBody = z.object({
  stageId: z.number().int().positive().max(2_147_483_647),
  version: z.number().int().positive().max(2_147_483_647),
});

/** The key is checked where it is turned into an IdempotencyRef, as the REST header is. */
export const MoveCommand = MoveBody.extend({ id: z.number().int().positive().max(2_147_483_647), idempotencyKey: z.string().optional() });

export type MoveRequest = z.output<typeof MoveBody> & { id: number };

/** The move as a command: what its Idempotency-Key is bound to, alike over REST and the socket. */
export const moveCommand = (req: MoveRequest): CanonicalCommand => ({ type: 'opportunity.move' satisfies CommandType, req });
