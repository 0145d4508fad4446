import type { Database, UserModel } from '@live-crm/models';
import { DEMO_LOGINS } from '@live-crm/models';
import type { LoginResponse, TeamMember, User } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';
import type { RightsHub } from '../../core/rights.js';
import type { TokenSigner } from './jwt.js';
import type { WechatClient } from './wechat.client.js';

// Nothing older is ever served. Reps act about every 30 s (the design load), so a shorter TTL made
// nearly every move wait on a users query; entries in use are refreshed in the background instead.
// A change of role, team or a deactivation drops the entry on every node at once (RightsHub).
const ACTOR_TTL_MS = 120_000;

export interface AuthServiceDeps {
  db: Database;
  signer: TokenSigner;
  wechat: WechatClient;
  devLogin: boolean;
  rights: RightsHub;
}

/** A verified token's actor and when the token ends (ms since the epoch). */
export interface Session {
  actor: Actor;
  expiresAt: number;
}

const unauthorized = () => new AppError('unauthorized', 'Sign in again: your session is missing or invalid');

export function createAuthService({ db, signer, wechat, devLogin, rights }: AuthServiceDeps) {
  const { User, Team } = db.models;
  // Short cache so the hot path (every move, every socket) does not query users each time.
  const actors = new Map<number, { actor: Actor; until: number; refreshing?: boolean }>();
  // Bumped by each revocation: a read that began before it must not cache the old rights after it.
  const generations = new Map<number, number>();
  rights.onRevoke((userId) => {
    actors.delete(userId);
    generations.set(userId, (generations.get(userId) ?? 0) + 1);
  });

  async function fetchActor(userId: number): Promise<Actor | null> {
    const generation = generations.get(userId) ?? 0;
    const user = await User.findByPk(userId);
    if (!user || !user.active) {
      actors.delete(userId);
      return null;
    }
    const teamIds =
      user.role === 'admin'
        ? (await Team.findAll({ where: { tenantId: user.tenantId }, attributes: ['id'], order: [['id', 'ASC']] })).map((t) => t.id)
        : user.teamId === null
          ? []
          : [user.teamId];
    const actor: Actor = { userId: user.id, tenantId: user.tenantId, teamId: user.teamId, role: user.role, name: user.name, teamIds };
    if ((generations.get(userId) ?? 0) === generation) actors.set(userId, { actor, until: Date.now() + ACTOR_TTL_MS });
    return actor;
  }

  async function loadActor(userId: number): Promise<Actor | null> {
    const hit = actors.get(userId);
    const left = hit ? hit.until - Date.now() : 0;
    if (!hit || left <= 0) return fetchActor(userId);
    // Past half its life, an entry still in use is reloaded off the request's path.
    if (left < ACTOR_TTL_MS / 2 && !hit.refreshing) {
      hit.refreshing = true;
      fetchActor(userId).catch(() => {
        hit.refreshing = false;
      });
    }
    return hit.actor;
  }

  function issue(user: UserModel): LoginResponse {
    if (!user.active) throw new AppError('unauthorized', 'This account has been deactivated; ask your manager');
    return { token: signer.sign(user.id, user.tenantId), user: toUser(user) };
  }

  /** Verified token -> actor; the tenant claim must still match the user's tenant. */
  async function session(token: string | undefined): Promise<Session> {
    const claims = token ? signer.verify(token) : null;
    if (!claims) throw unauthorized();
    const actor = await loadActor(Number(claims.sub));
    if (!actor || actor.tenantId !== claims.tid) throw unauthorized();
    return { actor, expiresAt: claims.exp * 1000 };
  }

  return {
    session,
    /** A token for a user another domain vouched for (a join); a deactivated account is refused. */
    issue,
    async authenticate(token: string | undefined): Promise<Actor> {
      return (await session(token)).actor;
    },

    /** The actor for a user id vouched for by another signature (e.g. an export download link). */
    actorFor(userId: number): Promise<Actor | null> {
      return loadActor(userId);
    },

    async devLogin(login: string): Promise<LoginResponse> {
      if (!devLogin) throw new AppError('not_found', 'Dev login is disabled on this server');
      const user = await User.findOne({ where: { login } });
      if (!user) throw new AppError('unauthorized', `No user with login "${login}"`);
      return issue(user);
    },

    devLogins() {
      if (!devLogin) throw new AppError('not_found', 'Dev login is disabled on this server');
      return { logins: DEMO_LOGINS.map(({ login, name, role, team, tenant }) => ({ login, name, role, team, tenant })) };
    },

    async wechatLogin(code: string): Promise<LoginResponse> {
      const { openId } = await wechat.code2Session(code);
      const user = await User.findOne({ where: { wechatOpenId: openId } });
      if (!user)
        throw new AppError('forbidden', 'This WeChat account is not linked to a Live CRM user yet; ask your admin for an invitation');
      return issue(user);
    },

    async me(actor: Actor): Promise<{ user: User; members: TeamMember[] }> {
      const members = await User.findAll({
        where: { tenantId: actor.tenantId, teamId: actor.teamIds },
        attributes: ['id', 'name', 'role'],
        order: [['name', 'ASC']],
      });
      return {
        user: { id: actor.userId, tenantId: actor.tenantId, teamId: actor.teamId, name: actor.name, role: actor.role },
        members: members.map((m) => ({ id: m.id, name: m.name, role: m.role })),
      };
    },
  };
}

function toUser(u: UserModel): User {
  return { id: u.id, name: u.name, role: u.role, teamId: u.teamId, tenantId: u.tenantId };
}

export type AuthService = ReturnType<typeof createAuthService>;
