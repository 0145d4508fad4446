import type { Id, MeResponse, TeamFeedResponse } from '@live-crm/shared-types';
import { api } from './api';
import { onSessionCleared } from './session';

let names: Promise<Map<Id, string>> | null = null;

/** Names of the signed-in user's teammates by id (from GET /api/me), so live changes can say who. */
export function teamNames(): Promise<Map<Id, string>> {
  names ??= api.get<MeResponse>('/api/me').then(
    (me) => new Map<Id, string>([[me.user.id, me.user.name], ...(me.members ?? []).map((m): [Id, string] => [m.id, m.name])]),
    () => {
      names = null; // try again next time
      return new Map<Id, string>();
    },
  );
  return names;
}

onSessionCleared(() => { names = null; });

/**
 * Who last changed an opportunity, from the team feed (newest first). Used after a 409, when the
 * teammate's live envelope may not have arrived yet.
 */
export async function lastActorOf(opportunityId: Id): Promise<Id | null> {
  try {
    const { events } = await api.get<TeamFeedResponse>('/api/crm/team/feed', { limit: 30 });
    const hit = events.find((e) => 'opportunity' in e.data && e.data.opportunity.id === opportunityId);
    return hit ? hit.actorId : null;
  } catch {
    return null;
  }
}

/** "Rita" for a known teammate, else the localized "a teammate". */
export async function nameOf(userId: Id | null, fallback: string): Promise<string> {
  if (userId === null) return fallback;
  return (await teamNames()).get(userId) ?? fallback;
}
