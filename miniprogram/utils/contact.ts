import type { ActivityType, CommunicationStatus, Id, TeamEventEnvelope } from '@live-crm/shared-types';

/** The server's rule (communication.service.ts) for what moves a customer's last contact. */
const CONTACT_ACTIVITIES = new Set<ActivityType>(['call', 'meeting', 'email', 'message', 'visit', 'wechat']);
const CONTACT_STATUSES = new Set<CommunicationStatus>(['initiated', 'connected', 'completed']);

type ContactEvent = TeamEventEnvelope<'communication:logged' | 'message:created' | 'activity:created'>;

/** The customer a live event says was just contacted, and when; null when it is no contact. */
export function contactOf(env: ContactEvent): { customerId: Id; at: string } | null {
  const data = env.data;
  if ('communication' in data) {
    const c = data.communication;
    return CONTACT_STATUSES.has(c.status) ? { customerId: c.customerId, at: c.createdAt } : null;
  }
  if ('message' in data) return { customerId: data.message.customerId, at: data.message.createdAt };
  const a = data.activity;
  if (a.customerId === null || !CONTACT_ACTIVITIES.has(a.type)) return null;
  // A contact dated in the future does not count until it happens.
  return { customerId: a.customerId, at: Date.parse(a.occurredAt) < Date.parse(env.at) ? a.occurredAt : env.at };
}
