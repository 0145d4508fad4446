import type { Transaction } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { Customer, Opportunity, TeamSettings, Visibility } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';

/** What a team without a settings row has. */
export const DEFAULT_SETTINGS = {
  visibility: 'team',
  recycleAfterDays: null,
  claimLimitPerDay: null,
  holdLimit: null,
  version: 0,
} as const;

/**
 * Whose records a caller sees in one team: `null` sees everything (managers, admins, every rep in
 * `team` mode), a user id sees their own records and the pool (a rep in `owner` mode).
 */
export type OwnerScope = number | null;

/** `138****0001`: the first 3 and last 4 digits of a number, or only stars when it is too short to hide anything. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 8 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

/** `z***@example.com`: the first character of the mailbox and the domain. */
export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** The customer with its phone and e-mail masked. */
export function maskContact(customer: Customer): Customer {
  return { ...customer, phone: maskPhone(customer.phone), email: maskEmail(customer.email) };
}

/** A pool customer's contact details as a rep (and every live event) sees them until it is claimed. */
export function masked(customer: Customer): Customer {
  return customer.ownerId === null ? maskContact(customer) : customer;
}

/** Reads the visibility rules; the only place that decides who sees which record. */
export function createVisibility(db: Database) {
  const { TeamSettings } = db.models;

  async function settingsOf(teamId: number, tx?: Transaction): Promise<TeamSettings> {
    const row = await TeamSettings.findByPk(teamId, { transaction: tx ?? null });
    return row ? row.toDto() : { teamId, ...DEFAULT_SETTINGS };
  }

  async function modes(teamIds: number[]): Promise<Map<number, Visibility>> {
    const rows = teamIds.length ? await TeamSettings.findAll({ where: { teamId: teamIds }, attributes: ['teamId', 'visibility'] }) : [];
    const byTeam = new Map<number, Visibility>(teamIds.map((id) => [id, 'team']));
    for (const r of rows) byTeam.set(r.teamId, r.visibility);
    return byTeam;
  }

  async function scopeFor(actor: Actor, teamId: number, tx?: Transaction): Promise<OwnerScope> {
    if (actor.role !== 'rep') return null;
    return (await settingsOf(teamId, tx)).visibility === 'owner' ? actor.userId : null;
  }

  return {
    settingsOf,
    /** Each team's visibility, `team` for a team without settings. */
    modes,
    scopeFor,
    /** The customer as this caller may read it: a rep sees a pool customer's phone and e-mail masked. */
    customerFor: (actor: Actor, customer: Customer): Customer => (actor.role === 'rep' ? masked(customer) : customer),
    async seesCustomer(actor: Actor, c: { teamId: number; ownerId: number | null }, tx?: Transaction): Promise<boolean> {
      const scope = await scopeFor(actor, c.teamId, tx);
      return scope === null || c.ownerId === null || c.ownerId === scope;
    },
    async seesOpportunity(actor: Actor, o: Pick<Opportunity, 'teamId' | 'ownerId'>, tx?: Transaction): Promise<boolean> {
      const scope = await scopeFor(actor, o.teamId, tx);
      return scope === null || o.ownerId === scope;
    },
  };
}

export type VisibilityRules = ReturnType<typeof createVisibility>;
