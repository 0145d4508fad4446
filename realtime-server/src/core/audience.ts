import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { AnyTeamEvent, RedactedEvent } from '@live-crm/shared-types';
import type { AnyTeamFact } from './team-fact.js';

/**
 * Whose records an event is about, stored with it (`team_events.owners`): null when every member
 * may see it (the pool, team-wide facts), else the users besides managers and admins who may. Only
 * a team in `owner` visibility acts on it; it is written for every team so a switch of visibility
 * also covers the history (feed, replay).
 */
export type Owners = number[] | null;

const people = (...ids: Array<number | null | undefined>): number[] =>
  [...new Set(ids.filter((id): id is number => typeof id === 'number'))].sort((a, b) => a - b);

/** The customer's owner as an audience: the pool is everyone's. */
async function customerOwners(sequelize: Sequelize, customerId: number | null, tx: Transaction): Promise<Owners | undefined> {
  if (customerId === null) return undefined;
  const [row] = await sequelize.query<{ owner_id: number | null }>('SELECT owner_id FROM customers WHERE id = :id', {
    replacements: { id: customerId },
    transaction: tx,
    type: QueryTypes.SELECT,
  });
  if (!row) return [];
  return row.owner_id === null ? null : [row.owner_id];
}

/** Who may see a fact, read inside the mutation's transaction (after its writes). */
export async function ownersOf(sequelize: Sequelize, fact: AnyTeamFact, tx: Transaction): Promise<Owners> {
  switch (fact.type) {
    case 'customer:created':
    case 'customer:updated':
      return fact.data.customer.ownerId === null ? null : [fact.data.customer.ownerId];
    case 'customer:owner-changed': {
      const { customer, previousOwnerId } = fact.data;
      return customer.ownerId === null ? null : people(customer.ownerId, previousOwnerId);
    }
    case 'customer:note-added':
      return (await customerOwners(sequelize, fact.data.customerId, tx)) ?? [];
    case 'opportunity:created':
    case 'opportunity:updated':
    case 'opportunity:moved':
      return people(fact.data.opportunity.ownerId);
    case 'opportunity:owner-changed':
      return people(fact.data.opportunity.ownerId, fact.data.previousOwnerId);
    case 'activity:created': {
      const { activity } = fact.data;
      return (await customerOwners(sequelize, activity.customerId, tx)) ?? people(activity.actorId);
    }
    case 'contact:created':
    case 'contact:updated':
      return (await customerOwners(sequelize, fact.data.contact.customerId, tx)) ?? [];
    case 'member:joined':
    case 'member:deactivated':
      return null;
    case 'task:created':
    case 'task:updated':
      return people(fact.data.task.assigneeId, fact.data.task.createdById);
    case 'task:assigned':
      return people(fact.data.task.assigneeId, fact.data.task.createdById, fact.data.previousAssigneeId);
    case 'message:created':
      return (await customerOwners(sequelize, fact.data.message.customerId, tx)) ?? [];
    case 'communication:logged':
      return (await customerOwners(sequelize, fact.data.communication.customerId, tx)) ?? [];
    case 'customers:imported':
      return null;
    default:
      return genericOwners(sequelize, fact, tx);
  }
}

/** A fact type added later: by the customer it names, else everyone's. */
async function genericOwners(sequelize: Sequelize, fact: { data: unknown }, tx: Transaction): Promise<Owners> {
  const data = fact.data as { customer?: { ownerId?: number | null }; customerId?: number } | null;
  if (data?.customer && 'ownerId' in data.customer) return data.customer.ownerId == null ? null : [data.customer.ownerId];
  if (typeof data?.customerId === 'number') return (await customerOwners(sequelize, data.customerId, tx)) ?? [];
  return null;
}

/** What a phone that may not see the event gets: its place in the stream and nothing else. */
export function redact(e: Pick<AnyTeamEvent, 'seq' | 'eventId' | 'teamId' | 'at'>): RedactedEvent {
  return { seq: e.seq, eventId: e.eventId, teamId: e.teamId, type: 'redacted', at: e.at };
}

/**
 * Who an event is delivered to in full, besides the team's managers and admins: null for the whole
 * team (a `team` visibility team, or an event about everyone's records).
 */
export const audienceOf = (visibility: string | null | undefined, owners: Owners): Owners => (visibility === 'owner' ? owners : null);

/** May `userId` (a rep) see an event with this audience? */
export const inAudience = (audience: Owners, userId: number): boolean => audience === null || audience.includes(userId);
