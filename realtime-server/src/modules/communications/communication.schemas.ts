import { z } from 'zod';
import { instant } from '../../core/calendar.js';
import { phone } from '../customers/customer.schemas.js';

export const customerId = z.number({ error: 'customerId is required' }).int().positive().max(2_147_483_647);
export const content = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(5000);
export const isoTime = instant('use an ISO-8601 time such as 2025-03-01T09:30:00+08:00');

export const MessageCreate = z.object({
  customerId,
  message: content('message'),
  type: z.enum(['text', 'template'], { error: 'type must be text or template' }).default('text'),
});

export const CommunicationCreate = z.object({
  customerId,
  type: z.enum(['call', 'sms', 'wechat', 'email'], { error: 'type must be call, sms, wechat or email' }),
  direction: z.enum(['outbound', 'inbound'], { error: 'direction must be outbound or inbound' }),
  status: z.enum(['initiated', 'connected', 'completed', 'failed', 'missed'], {
    error: 'status must be initiated, connected, completed, failed or missed',
  }),
  phoneNumber: phone,
  durationSec: z.number().int().min(0).max(86_400).nullable().optional(),
  error: z.string().trim().max(500).nullable().optional(),
});

export const FollowUpCreate = z.object({
  customerId,
  scheduledDate: isoTime.refine((t) => Date.parse(t) > Date.now(), 'scheduledDate must be in the future'),
  notes: z.string().trim().max(2000).nullable().optional(),
});

export type MessageCreateInput = z.infer<typeof MessageCreate>;
export type CommunicationCreateInput = z.infer<typeof CommunicationCreate>;
export type FollowUpCreateInput = z.infer<typeof FollowUpCreate>;
