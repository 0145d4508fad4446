import type { TeamEventDataMap, TeamEventType } from '@live-crm/shared-types';

/** A fact a write causes: one envelope of the team's stream, once the transaction commits (core/mutation.ts). */
export interface TeamFact<K extends TeamEventType = TeamEventType> {
  teamId: number;
  type: K;
  data: TeamEventDataMap[K];
  alsoToUsers?: number[];
  /** Who the envelope names as its actor when that is not the caller (a join: the new member). */
  actorId?: number;
}

export type AnyTeamFact = { [K in TeamEventType]: TeamFact<K> }[TeamEventType];
