import { randomBytes } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database, InvitationModel, UserModel } from '@live-crm/models';
import type { Invitation, InvitationCreatedResponse, LoginResponse } from '@live-crm/shared-types';
import { assertManager, assertTeamAccess, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import { isUniqueViolation } from '../../core/sql.js';
import type { WechatClient } from '../auth/wechat.client.js';
import { toMember } from './members.service.js';
import type { InvitationCreateInput, JoinInput } from './members.schemas.js';

export interface InvitationsServiceDeps {
  db: Database;
  mutate: MutationRunner;
  wechat: Pick<WechatClient, 'code2Session'>;
  /** Signs a user in (the auth service's token issue): refuses a deactivated account. */
  issue: (user: UserModel) => LoginResponse;
}

/** The mini program page a shared invitation opens. */
export const joinPath = (code: string): string => `pages/join/index?code=${encodeURIComponent(code)}`;

/** 128 random bits, URL-safe: the code is the only secret a join presents. */
const newCode = (): string => randomBytes(16).toString('base64url');

const gone = (why: string): AppError => new AppError('gone', `This invitation ${why}; ask for a new one`);

/** Why an invitation no longer lets anyone in, or null while it does. */
function goneReason(inv: InvitationModel, now = Date.now()): string | null {
  if (inv.revokedAt) return 'was revoked';
  if (inv.expiresAt.getTime() <= now) return 'has expired';
  if (inv.uses >= inv.maxUses) return 'has been used up';
  return null;
}

export type JoinOutcome = { status: 201 | 200; body: LoginResponse };

/** The only writer of invitations: create, revoke, and spend one on a join. */
export function createInvitationsService({ db, mutate, wechat, issue }: InvitationsServiceDeps) {
  const { Invitation, User } = db.models;

  /** A manager reaches their own team's invitations for reps; an admin every invitation of the tenant. */
  async function loadFor(actor: Actor, id: number, tx: Transaction): Promise<InvitationModel> {
    const inv = await Invitation.findByPk(id, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!inv || inv.tenantId !== actor.tenantId) throw notFound('Invitation');
    assertTeamAccess(actor, inv.teamId, 'Invitation');
    if (actor.role === 'manager' && inv.role !== 'rep') throw forbidden('Only a tenant admin can revoke an invitation for managers');
    return inv;
  }

  /** Spends one use, or throws `gone`: one conditional UPDATE, so concurrent joins never pass maxUses. */
  async function spend(id: number, tx: Transaction): Promise<void> {
    const rows = await db.sequelize.query(
      `UPDATE invitations SET uses = uses + 1
        WHERE id = :id AND revoked_at IS NULL AND expires_at > now() AND uses < max_uses RETURNING id`,
      { replacements: { id }, transaction: tx, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) {
      const fresh = await Invitation.findByPk(id, { transaction: tx });
      throw gone((fresh && goneReason(fresh)) ?? 'is no longer valid');
    }
  }

  /** The existing account of this WeChat user: 200 within the tenant, refused in another one. */
  function existing(user: UserModel, inv: InvitationModel): JoinOutcome {
    if (user.tenantId !== inv.tenantId) {
      throw new AppError('conflict', 'This WeChat account already belongs to another organisation on Live CRM');
    }
    return { status: 200, body: issue(user) };
  }

  return {
    /** A manager invites reps to their own team; an admin reps or managers to any team of the tenant. */
    async create(actor: Actor, input: InvitationCreateInput, idem?: IdempotencyRef): Promise<InvitationCreatedResponse> {
      assertManager(actor);
      if (actor.role === 'manager' && input.role !== 'rep') throw forbidden('A manager can invite reps only; ask a tenant admin');
      const teamId = input.teamId ?? actor.teamId ?? actor.teamIds[0];
      if (teamId === undefined || teamId === null) throw new AppError('validation', 'Name the team to invite into (teamId)');
      assertTeamAccess(actor, teamId, 'Team');
      return mutate(actor, idem, async (tx) => {
        const row = await Invitation.create(
          {
            tenantId: actor.tenantId,
            teamId,
            role: input.role,
            code: newCode(),
            createdById: actor.userId,
            expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
            maxUses: input.maxUses,
          },
          { transaction: tx },
        );
        const invitation = row.toDto();
        return { result: { invitation, path: joinPath(invitation.code) }, fact: null };
      });
    },

    /** Newest first: a manager's own team, an admin the named team or every team of the tenant. */
    async list(actor: Actor, requestedTeamId?: number): Promise<Invitation[]> {
      assertManager(actor);
      if (requestedTeamId !== undefined && actor.role === 'admin') assertTeamAccess(actor, requestedTeamId, 'Team');
      const teamIds = actor.role === 'admin' && requestedTeamId !== undefined ? [requestedTeamId] : actor.teamIds;
      const rows = await Invitation.findAll({
        where: {
          tenantId: actor.tenantId,
          teamId: teamIds,
          ...(actor.role === 'manager' ? { role: 'rep' } : {}),
        },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: 100,
      });
      return rows.map((r) => r.toDto());
    },

    /** Revoking twice answers the same revoked invitation. */
    async revoke(actor: Actor, id: number, idem?: IdempotencyRef): Promise<Invitation> {
      assertManager(actor);
      return mutate(actor, idem, async (tx) => {
        const inv = await loadFor(actor, id, tx);
        if (!inv.revokedAt) await inv.update({ revokedAt: new Date() }, { transaction: tx });
        return { result: inv.toDto(), fact: null };
      });
    },

    /**
     * A new WeChat user joins the invitation's team with its role (201); a WeChat user who already
     * belongs to the tenant is signed in as they are and spends nothing (200). An unknown (404) or
     * dead (410) code is refused before WeChat is asked; a live one is spent atomically in the
     * transaction that creates the member.
     */
    async join({ code, wxCode, name }: JoinInput): Promise<JoinOutcome> {
      const inv = await Invitation.findOne({ where: { code } });
      if (!inv) throw notFound('Invitation');
      const reason = goneReason(inv);
      if (reason) throw gone(reason);
      const { openId } = await wechat.code2Session(wxCode);
      const known = await User.findOne({ where: { wechatOpenId: openId } });
      if (known) return existing(known, inv);
      try {
        const user = await mutate({ userId: inv.createdById }, undefined, async (tx) => {
          await spend(inv.id, tx);
          const row = await User.create(
            {
              tenantId: inv.tenantId,
              teamId: inv.teamId,
              login: `wx-${randomBytes(9).toString('base64url')}`,
              name,
              role: inv.role,
              wechatOpenId: openId,
            },
            { transaction: tx },
          );
          const member = toMember(row);
          return {
            result: row,
            fact: { teamId: inv.teamId, type: 'member:joined', data: { member, invitationId: inv.id }, actorId: row.id },
          };
        });
        return { status: 201, body: issue(user) };
      } catch (err) {
        // The same WeChat user joining twice at once: the one that lost the race signs in as the winner.
        // Sequelize wraps the driver's error; the constraint is on the one it wraps.
        if (!isUniqueViolation((err as { parent?: unknown }).parent, 'users_wechat_open_id_key')) throw err;
        const winner = await User.findOne({ where: { wechatOpenId: openId } });
        if (!winner) throw err;
        return existing(winner, inv);
      }
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
