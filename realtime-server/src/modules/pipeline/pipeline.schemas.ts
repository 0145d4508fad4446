import { z } from 'zod';
import { describeRequest } from '../../core/mutation.js';

const id = z.coerce.number().int().positive().max(2_147_483_647);
const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const title = z.string().trim().min(1, 'title is required').max(200);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').nullable();

export const PipelineQuery = z.object({ teamId: id.optional() }).strict();

export const OpportunityCreate = z.object({
  customerId: z.number().int().positive(),
  title,
  valueCents: cents,
  stageId: z.number().int().positive().optional(),
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

/** What a move's Idempotency-Key is bound to: the same over REST and the socket, so a retry may switch. */
export const moveRequest = (id: number, stageId: number, version: number): string =>
  describeRequest('PUT', `/opportunities/${id}/move`, { stageId, version });
