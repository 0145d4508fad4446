import type { Database } from '@live-crm/models';
import type { TeamSettings } from '@live-crm/shared-types';
import { assertManager, resolveTeam, type Actor } from '../../core/actor.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { SettingsPatchInput } from './team-settings.schemas.js';
import type { VisibilityRules } from './visibility.js';

export interface TeamSettingsServiceDeps {
  db: Database;
  mutate: MutationRunner;
  visibility: VisibilityRules;
}

/** The only writer of team settings (visibility and the pool's rules). */
export function createTeamSettingsService({ db, mutate, visibility }: TeamSettingsServiceDeps) {
  const { TeamSettings } = db.models;
  return {
    /** Every member reads their team's rules (the phone shows limits and hides what owner mode hides). */
    get(actor: Actor, teamId?: number): Promise<TeamSettings> {
      return visibility.settingsOf(resolveTeam(actor, teamId));
    },

    /** A manager changes their own team's rules, an admin any team's of the tenant. */
    async update(actor: Actor, patch: SettingsPatchInput, idem?: IdempotencyRef): Promise<TeamSettings> {
      assertManager(actor);
      const { teamId: requested, ...fields } = patch;
      const teamId = resolveTeam(actor, requested);
      const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return mutate(actor, idem, async (tx) => {
        await db.sequelize.query('INSERT INTO team_settings (team_id) VALUES (:teamId) ON CONFLICT DO NOTHING', {
          replacements: { teamId },
          transaction: tx,
        });
        const row = (await TeamSettings.findByPk(teamId, { transaction: tx, lock: tx.LOCK.UPDATE }))!;
        await row.update({ ...changes, version: row.version + 1 }, { transaction: tx });
        // Not a team event: nothing on a phone changes until its next read under the new rules.
        return { result: row.toDto(), fact: null };
      });
    },
  };
}

export type TeamSettingsService = ReturnType<typeof createTeamSettingsService>;
