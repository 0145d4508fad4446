import type { Role } from '@live-crm/shared-types';
import { AppError, notFound } from './app-error.js';

/** Who is calling, resolved from a verified token and the database; never from the request body. */
export interface Actor {
  userId: number;
  tenantId: number;
  /** Home team; null for a tenant admin. */
  teamId: number | null;
  role: Role;
  name: string;
  /** Every team this actor may read and write (an admin: all teams of the tenant). */
  teamIds: number[];
}

/** Throws 404 unless the record's team is one the actor reaches (another tenant's ids look absent). */
export function assertTeamAccess(actor: Actor, teamId: number, what: string): void {
  if (!actor.teamIds.includes(teamId)) throw notFound(what);
}

export function assertManager(actor: Actor): void {
  if (actor.role === 'rep') throw new AppError('forbidden', 'Only a manager or an admin can do that');
}

/**
 * The team a team-scoped read or create acts on: an admin may name one of their tenant's teams
 * (default: the first), everyone else always works in their own team whatever they send.
 */
export function resolveTeam(actor: Actor, requested?: number): number {
  if (actor.role === 'admin') {
    const teamId = requested ?? actor.teamIds[0];
    if (teamId === undefined) throw new AppError('not_found', 'Your tenant has no team yet');
    assertTeamAccess(actor, teamId, 'Team');
    return teamId;
  }
  if (actor.teamId === null) throw new AppError('forbidden', 'You are not a member of a team');
  return actor.teamId;
}
