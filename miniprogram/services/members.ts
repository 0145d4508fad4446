import type {
  DeactivateMemberResponse,
  Id,
  Invitation,
  InvitationCreatedResponse,
  InvitationsResponse,
  InvitedRole,
  MembersResponse,
} from '@live-crm/shared-types';
import { api } from './api';
import { send } from './commands';

/** The team's members, active or not (ARCHITECTURE 9.1); an admin may name the team. */
export function listMembers(teamId?: Id): Promise<MembersResponse> {
  return api.get<MembersResponse>('/api/crm/members', teamId === undefined ? undefined : { teamId });
}

export async function listInvitations(teamId?: Id): Promise<Invitation[]> {
  return (await api.get<InvitationsResponse>('/api/crm/invitations', teamId === undefined ? undefined : { teamId })).invitations;
}

/** A new invitation and the join path a chat card opens. */
export function createInvitation(role: InvitedRole, teamId?: Id): Promise<InvitationCreatedResponse> {
  return send('invitation.create', teamId === undefined ? { role } : { role, teamId });
}

export async function revokeInvitation(id: Id): Promise<Invitation> {
  return (await send('invitation.revoke', { id })).invitation;
}

/** The leaver's customers, open deals and open tasks pass to `handoverTo`; they are signed out everywhere. */
export function deactivateMember(id: Id, handoverTo: Id): Promise<DeactivateMemberResponse> {
  return send('member.deactivate', { id, handoverTo });
}

/** Still lets someone in: not revoked, not expired, not used up. */
export function isOpen(inv: Invitation, now = Date.now()): boolean {
  return inv.revokedAt === null && Date.parse(inv.expiresAt) > now && inv.uses < inv.maxUses;
}
