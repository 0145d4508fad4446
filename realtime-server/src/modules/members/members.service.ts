import type { Transaction } from 'sequelize';
import type { Database, UserModel } from '@live-crm/models';
import type { Member, Role } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { RightsHub } from '../../core/rights.js';

export interface MembersServiceDeps {
  db: Database;
  mutate: MutationRunner;
  rights: RightsHub;
}

function toMember(u: UserModel): Member {
  return { id: u.id, name: u.name, role: u.role, teamId: u.teamId, active: u.active };
}

/**
 * The only writer of who may do what: role, team and deactivation. Each change commits, then every
 * node forgets the member's old rights and closes their sockets before the call answers; a socket
 * that comes back is checked again from the database (new rooms, or `unauthorized`).
 */
export function createMembersService({ db, mutate, rights }: MembersServiceDeps) {
  const { User, Team } = db.models;

  /** The member, locked for the change; outside the actor's tenant (a manager: team) ids look absent. */
  async function memberFor(actor: Actor, userId: number, tx: Transaction): Promise<UserModel> {
    const user = await User.findByPk(userId, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!user || user.tenantId !== actor.tenantId) throw notFound('Member');
    if (actor.role !== 'admin' && user.teamId !== actor.teamId) throw notFound('Member');
    if (user.id === actor.userId) throw forbidden('You cannot change your own membership');
    if (user.role === 'admin') throw forbidden("A tenant admin is changed by the tenant's owner");
    return user;
  }

  function assertAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw forbidden('Only a tenant admin can change roles and teams');
  }

  /** Commits `change` on the locked member, then revokes their old rights everywhere. */
  async function change(
    actor: Actor,
    userId: number,
    idem: IdempotencyRef | undefined,
    apply: (user: UserModel, tx: Transaction) => Promise<void>,
  ): Promise<Member> {
    const member = await mutate(actor, idem, async (tx) => {
      const user = await memberFor(actor, userId, tx);
      if (!user.active) throw new AppError('conflict', 'This member has been deactivated', { current: toMember(user) });
      await apply(user, tx);
      await user.save({ transaction: tx });
      return { result: toMember(user), fact: null };
    });
    await rights.revoke(userId);
    return member;
  }

  return {
    async changeRole(actor: Actor, userId: number, role: Exclude<Role, 'admin'>, idem?: IdempotencyRef): Promise<Member> {
      assertAdmin(actor);
      return change(actor, userId, idem, async (user) => {
        user.role = role;
      });
    },

    async moveTeam(actor: Actor, userId: number, teamId: number, idem?: IdempotencyRef): Promise<Member> {
      assertAdmin(actor);
      return change(actor, userId, idem, async (user, tx) => {
        const team = await Team.findByPk(teamId, { transaction: tx, attributes: ['id', 'tenantId'] });
        if (!team || team.tenantId !== actor.tenantId) throw notFound('Team');
        user.teamId = team.id;
      });
    },

    /** A manager deactivates a rep of their own team; an admin anyone of the tenant but themselves. */
    async deactivate(actor: Actor, userId: number, idem?: IdempotencyRef): Promise<Member> {
      if (actor.role === 'rep') throw forbidden('Only a manager or an admin can deactivate a member');
      return change(actor, userId, idem, async (user) => {
        if (actor.role === 'manager' && user.role !== 'rep') throw forbidden('A manager can deactivate the reps of their own team only');
        user.active = false;
      });
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
