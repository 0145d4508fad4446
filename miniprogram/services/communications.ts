import type {
  ActivitiesResponse,
  Activity,
  Communication,
  CommunicationsResponse,
  FollowUpInput,
  FollowUpResponse,
  Id,
  Message,
  MessagesResponse,
} from '@live-crm/shared-types';
import { api } from './api';
import { send } from './commands';

/** REST contract section 5: the communication hub (timeline reads, calls, messages, follow-ups). */

export async function listActivities(customerId: Id, limit = 50): Promise<Activity[]> {
  return (await api.get<ActivitiesResponse>(`/api/crm/customers/${customerId}/activities`, { limit })).activities;
}

/** Newest first, as the server answers. */
export async function listMessages(customerId: Id, limit = 50): Promise<Message[]> {
  return (await api.get<MessagesResponse>(`/api/crm/customers/${customerId}/messages`, { limit })).messages;
}

export async function listCommunications(customerId: Id, limit = 50): Promise<Communication[]> {
  return (await api.get<CommunicationsResponse>(`/api/crm/customers/${customerId}/communications`, { limit })).communications;
}

/** `key` stays the same when the rep retries this message, so it is sent once. */
export async function sendMessage(customerId: Id, message: string, key: string): Promise<Message> {
  return (await send('message.send', { customerId, message, type: 'text' }, key)).message;
}

/** The follow-up and its task (reminder 30 minutes before) are created together by the server. */
export function scheduleFollowUp(input: FollowUpInput): Promise<FollowUpResponse> {
  return send('followUp.schedule', input);
}
