import type { Database } from '@live-crm/models';
import type { LeaderboardResponse, Target } from '@live-crm/shared-types';
import { assertManager, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import { currentMonth, leaderboardRows } from './leaderboard.query.js';
import type { LeaderboardInput, TargetInput } from './targets.schemas.js';

export interface TargetsServiceDeps {
  db: Database;
  mutate: MutationRunner;
  defaultTimeZone: string;
}

/** The only writer of targets; reads the month's leaderboard (ARCHITECTURE 9.4). */
export function createTargetsService({ db, mutate, defaultTimeZone }: TargetsServiceDeps) {
  const { Target, User, Tenant } = db.models;

  async function timeZoneOf(tenantId: number): Promise<string> {
    const tenant = await Tenant.findByPk(tenantId, { attributes: ['timeZone'] });
    return tenant?.timeZone || defaultTimeZone;
  }

  return {
    /** A manager of the user's team (or an admin of the tenant) sets the month's won-value target. */
    async set(actor: Actor, input: TargetInput, idem?: IdempotencyRef): Promise<Target> {
      assertManager(actor);
      return mutate(actor, idem, async (tx) => {
        const user = await User.findOne({ where: { id: input.userId, tenantId: actor.tenantId, active: true }, transaction: tx });
        if (!user || user.teamId === null || !actor.teamIds.includes(user.teamId)) {
          throw new AppError('validation', 'A target is set for an active member of your team', {
            details: { fields: [{ path: 'userId', message: 'not an active member of a team you manage' }] },
          });
        }
        const [row] = await Target.upsert(
          { teamId: user.teamId, userId: user.id, month: input.month, wonValueCents: input.wonValueCents, updatedAt: new Date() },
          { transaction: tx, conflictFields: ['user_id', 'month'] as never },
        );
        return { result: row.toDto(), fact: null };
      });
    },

    async leaderboard(actor: Actor, q: LeaderboardInput): Promise<LeaderboardResponse> {
      const teamId = resolveTeam(actor, q.teamId);
      const tz = await timeZoneOf(actor.tenantId);
      const month = q.month ?? currentMonth(tz);
      return { month, teamId, rows: await leaderboardRows(db.sequelize, { teamId, month, tz }) };
    },
  };
}

export type TargetsService = ReturnType<typeof createTargetsService>;
