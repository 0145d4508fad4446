import { z } from 'zod';
import { content, customerId, isoTime } from '../communications/communication.schemas.js';

/** What a rep logs (ARCHITECTURE 9.3); `stage-change` is written by the pipeline itself, never by a client. */
export const LOGGABLE_ACTIVITIES = ['call', 'visit', 'wechat', 'email', 'meeting', 'note', 'other'] as const;
export const MAX_ATTACHMENTS = 9;
export const MAX_MENTIONS = 20;

const recordId = z.number().int().positive().max(2_147_483_647);
const placeText = (max: number) => z.string().trim().max(max).nullable().optional();

/** As `wx.chooseLocation` answers it: GCJ-02 degrees, and the place's name and address. */
export const Location = z.object(
  {
    latitude: z.number({ error: 'latitude is required' }).min(-90).max(90),
    longitude: z.number({ error: 'longitude is required' }).min(-180).max(180),
    name: placeText(200),
    address: placeText(500),
  },
  { error: 'location must be { latitude, longitude, name?, address? }' },
);

const unique = (ids: number[]) => new Set(ids).size === ids.length;

export const ActivityCreate = z
  .object({
    customerId,
    type: z.enum(LOGGABLE_ACTIVITIES, { error: `type must be one of ${LOGGABLE_ACTIVITIES.join(', ')}` }),
    content: content('content'),
    opportunityId: recordId.nullable().optional(),
    contactId: recordId.nullable().optional(),
    attachmentIds: z
      .array(recordId)
      .max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} photos per record`)
      .refine(unique, 'a photo is named twice')
      .optional(),
    location: Location.nullable().optional(),
    nextFollowUpAt: isoTime
      .refine((t) => Date.parse(t) > Date.now(), 'nextFollowUpAt must be in the future')
      .nullable()
      .optional(),
    mentions: z.array(recordId).max(MAX_MENTIONS, `at most ${MAX_MENTIONS} people`).refine(unique, 'a person is named twice').optional(),
    occurredAt: isoTime.optional(),
  })
  .refine((a) => a.type !== 'visit' || a.location, { error: 'a visit needs its location', path: ['location'] });

/** The visit log: a window of time (default the last 7 days) and, for a manager, one rep. */
export const VisitsQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    userId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

export type ActivityCreateInput = z.infer<typeof ActivityCreate>;
export type VisitsQueryInput = z.infer<typeof VisitsQuery>;
