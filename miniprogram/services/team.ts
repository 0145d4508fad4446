import type { AnyTeamEvent, Id, MeResponse, TeamFeedResponse, TeamMember } from '@live-crm/shared-types';
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

onSessionCleared(() => {
  names = null;
});

let members: Promise<TeamMember[]> | null = null;
onSessionCleared(() => {
  members = null;
});

/** The people of the signed-in user's team(s), by name (GET /api/me): whom a manager can assign work to. */
export function teamMembers(): Promise<TeamMember[]> {
  members ??= api.get<MeResponse>('/api/me').then(
    (me) => me.members ?? [],
    (err: unknown) => {
      members = null; // try again next time
      throw err;
    },
  );
  return members;
}

/** The team's history, newest first: the page of envelopes before `before` (a seq), and which team it is. */
export async function teamFeed(before?: number, limit = 20): Promise<TeamFeedResponse> {
  return api.get<TeamFeedResponse>('/api/crm/team/feed', { limit, ...(before ? { before } : {}) });
}

/**
 * Who last changed an opportunity, from the team feed (newest first). Used after a 409, when the
 * teammate's live envelope may not have arrived yet.
 */
export function lastActorOf(opportunityId: Id): Promise<Id | null> {
  return lastActor((e) => 'opportunity' in e.data && e.data.opportunity.id === opportunityId);
}

/** Who last changed a task, the same way (after a 409 on a task). */
export function lastTaskActorOf(taskId: Id): Promise<Id | null> {
  return lastActor((e) => 'task' in e.data && e.data.task?.id === taskId);
}

async function lastActor(match: (e: AnyTeamEvent) => boolean): Promise<Id | null> {
  try {
    const { events } = await api.get<TeamFeedResponse>('/api/crm/team/feed', { limit: 30 });
    return events.find(match)?.actorId ?? null;
  } catch {
    return null;
  }
}

/** "Rita" for a known teammate, else the localized "a teammate". */
export async function nameOf(userId: Id | null, fallback: string): Promise<string> {
  if (userId === null) return fallback;
  return (await teamNames()).get(userId) ?? fallback;
}
