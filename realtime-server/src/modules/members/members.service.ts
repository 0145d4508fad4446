import type { Transaction } from 'sequelize';
import type { Database, UserModel } from '@live-crm/models';
import type { DeactivateMemberResponse, Member, Role } from '@live-crm/shared-types';
import { resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { Handover } from '../../core/handover.js';
import type { AnyTeamFact, IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { RightsHub } from '../../core/rights.js';
import type { NotificationsService } from '../notifications/notifications.service.js';

/** A domain that owns records a leaver may hold, and moves its own inside the handover's transaction. */
interface HandsOver {
  handOverWithin(tx: Transaction, handover: Handover): Promise<AnyTeamFact[]>;
}

export interface MembersServiceDeps {
  db: Database;
  mutate: MutationRunner;
  rights: RightsHub;
  notifications: Pick<NotificationsService, 'store'>;
  customers: HandsOver;
  pipeline: HandsOver;
  tasks: HandsOver;
}

export function toMember(u: UserModel): Member {
  return { id: u.id, name: u.name, role: u.role, teamId: u.teamId, active: u.active };
}

/**
 * The only writer of who may do what: role, team and deactivation. Each change commits, then every
 * node forgets the member's old rights and closes their sockets before the call answers; a socket
 * that comes back is checked again from the database (new rooms, or `unauthorized`).
 */
export function createMembersService({ db, mutate, rights, notifications, customers, pipeline, tasks }: MembersServiceDeps) {
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

    /** The team's members, active or not (an admin names the team; default their first). */
    async list(actor: Actor, requestedTeamId?: number): Promise<{ members: Member[]; teamId: number }> {
      const teamId = resolveTeam(actor, requestedTeamId);
      const rows = await User.findAll({
        where: { tenantId: actor.tenantId, teamId },
        order: [
          ['active', 'DESC'],
          ['name', 'ASC'],
          ['id', 'ASC'],
        ],
      });
      return { members: rows.map(toMember), teamId };
    },

    /**
     * A manager deactivates a rep of their own team; an admin anyone of the tenant but admins and
     * themselves. In one transaction every customer, open deal and open task the leaver holds passes
     * to `handoverTo` (one envelope per record, then `member:deactivated`); then every node forgets
     * the leaver's rights and closes their sockets before this answers. Repeating it on a member
     * already deactivated hands over whatever they still hold.
     */
    async deactivate(actor: Actor, userId: number, handoverTo: number, idem?: IdempotencyRef): Promise<DeactivateMemberResponse> {
      if (actor.role === 'rep') throw forbidden('Only a manager or an admin can deactivate a member');
      const answer = await mutate(actor, idem, async (tx) => {
        // Both rows in id order, so two handovers between the same pair cannot deadlock.
        await User.findAll({ where: { id: [userId, handoverTo] }, order: [['id', 'ASC']], lock: tx.LOCK.UPDATE, transaction: tx });
        const user = await memberFor(actor, userId, tx);
        const wasActive = user.active;
        if (actor.role === 'manager' && user.role !== 'rep') throw forbidden('A manager can deactivate the reps of their own team only');
        const teamId = user.teamId;
        if (teamId === null) throw new AppError('validation', 'This member belongs to no team: there is nothing to hand over');
        const heir = await User.findByPk(handoverTo, { transaction: tx });
        if (!heir || heir.id === user.id || heir.tenantId !== user.tenantId || heir.teamId !== teamId || !heir.active) {
          throw new AppError('validation', "handoverTo must be another active member of the leaver's team", {
            details: { fields: [{ path: 'handoverTo', message: "not an active member of the leaver's team" }] },
          });
        }
        user.active = false;
        await user.save({ transaction: tx });
        const handover = { teamId, from: user.id, to: heir.id };
        const moved = {
          customers: await customers.handOverWithin(tx, handover),
          opportunities: await pipeline.handOverWithin(tx, handover),
          tasks: await tasks.handOverWithin(tx, handover),
        };
        const member = toMember(user);
        const facts: AnyTeamFact[] = [...moved.customers, ...moved.opportunities, ...moved.tasks];
        if (wasActive) facts.push({ teamId, type: 'member:deactivated', data: { member, handoverTo: heir.id } });
        const handedOver = { customers: moved.customers.length, opportunities: moved.opportunities.length, tasks: moved.tasks.length };
        // The heir hears it once, with the counts, rather than once per record.
        const notices =
          handedOver.customers + handedOver.opportunities + handedOver.tasks === 0
            ? []
            : await notifications.store(tx, [
                {
                  kind: 'handover',
                  params: { actorName: actor.name, leaverName: user.name, ...handedOver },
                  tenantId: user.tenantId,
                  userId: heir.id,
                  link: '/pages/customers/index',
                },
              ]);
        return { result: { member, handedOver }, fact: facts, notices };
      });
      await rights.revoke(userId);
      return answer;
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
