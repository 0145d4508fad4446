import { QueryTypes, type Transaction } from 'sequelize';
import type { CustomerModel, Database } from '@live-crm/models';
import type { Customer, OwnerChangeReason } from '@live-crm/shared-types';
import { assertManager, assertTeamAccess, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { AnyTeamFact, IdempotencyRef, Mutation, MutationRunner } from '../../core/mutation.js';
import type { NotificationDraft, NotificationsService } from '../notifications/notifications.service.js';
import { maskContact, masked, type VisibilityRules } from '../ownership/visibility.js';

export interface CustomerOwnerDeps {
  db: Database;
  mutate: MutationRunner;
  visibility: VisibilityRules;
  notifications: NotificationsService;
}

/** Advisory-lock namespace for one user's claims (second key: user id): limits are checked and spent atomically. */
const CLAIM_LOCK = 3002;

export const customerLink = (id: number): string => `/pages/customer-detail/index?id=${id}`;

const limitReached = (message: string): AppError => new AppError('limit', message);

/** Who may hold customers: an active rep or manager of the customer's team. */
async function assertHolder(db: Database, teamId: number, userId: number, tx: Transaction) {
  const user = await db.models.User.findOne({ where: { id: userId, teamId, active: true }, transaction: tx });
  if (!user || user.role === 'admin') {
    throw new AppError('validation', "The new owner must be an active member of the customer's team", {
      details: { fields: [{ path: 'ownerId', message: 'not an active member of this team' }] },
    });
  }
  return user;
}

/**
 * Changes of a customer's owner: claim from the pool, release to it, a manager's reassignment and
 * the recycle. Each is one conditional UPDATE, so of racing changes exactly one applies.
 */
export function createCustomerOwnerOps({ db, mutate, visibility, notifications }: CustomerOwnerDeps) {
  const { sequelize } = db;
  const { Customer, CustomerOwnerLog, User } = db.models;

  /**
   * The fresh customer as a 409's `current`: who has it now. A rep who lost a claim sees its
   * phone and e-mail masked still (the customer did not become theirs).
   */
  async function conflict(actor: Actor, id: number, message: string, tx: Transaction, lostClaim = false): Promise<never> {
    const fresh = await Customer.findByPk(id, { transaction: tx });
    if (!fresh) throw notFound('Customer');
    const dto = fresh.toDto();
    const current =
      lostClaim && actor.role === 'rep' && dto.ownerId !== actor.userId ? maskContact(dto) : visibility.customerFor(actor, dto);
    throw new AppError('conflict', message, { current });
  }

  /** Moves the customer from `from` to `to` only if it is still held by `from`; null when someone else got there first. */
  async function handOver(id: number, from: number | null, to: number | null, tx: Transaction): Promise<Customer | null> {
    const rows = await sequelize.query<{ id: number }>(
      `UPDATE customers SET owner_id = :to, owned_since = CASE WHEN CAST(:to AS int) IS NULL THEN NULL ELSE now() END,
              recycle_warned_at = NULL, version = version + 1, updated_at = now()
        WHERE id = :id AND owner_id IS NOT DISTINCT FROM CAST(:from AS int) RETURNING id`,
      { replacements: { id, from, to }, transaction: tx, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return null;
    return (await Customer.findByPk(id, { transaction: tx }))!.toDto();
  }

  async function log(
    tx: Transaction,
    entry: { customer: Customer; actorId: number; previousOwnerId: number | null; reason: OwnerChangeReason; note?: string },
  ): Promise<void> {
    await CustomerOwnerLog.create(
      {
        teamId: entry.customer.teamId,
        customerId: entry.customer.id,
        actorId: entry.actorId,
        previousOwnerId: entry.previousOwnerId,
        ownerId: entry.customer.ownerId,
        reason: entry.reason,
        note: entry.note ?? null,
      },
      { transaction: tx },
    );
  }

  /** The fact every change of hands publishes; a pool customer travels masked (events reach every rep). */
  function changed(customer: Customer, previousOwnerId: number | null, reason: OwnerChangeReason, alsoTo: number[]): AnyTeamFact {
    return {
      teamId: customer.teamId,
      type: 'customer:owner-changed',
      data: { customer: masked(customer), previousOwnerId, reason },
      alsoToUsers: alsoTo.filter((id, i, all) => all.indexOf(id) === i),
    };
  }

  /** Left the pool by a claim in the last hour: what a claim that lost its race may still be told about. */
  async function justClaimed(id: number, tx: Transaction): Promise<boolean> {
    const [last] = await sequelize.query<{ reason: string; recent: boolean }>(
      `SELECT reason, at > now() - interval '1 hour' AS recent FROM customer_owner_log WHERE customer_id = :id ORDER BY id DESC LIMIT 1`,
      { replacements: { id }, transaction: tx, type: QueryTypes.SELECT },
    );
    return last?.reason === 'claim' && last.recent;
  }

  async function loadFor(actor: Actor, id: number, tx: Transaction): Promise<CustomerModel> {
    const c = await Customer.findByPk(id, { transaction: tx });
    if (!c) throw notFound('Customer');
    assertTeamAccess(actor, c.teamId, 'Customer');
    return c;
  }

  /** Over a team's claim limit today (tenant time zone) or its holding limit: 429 `limit`. */
  async function assertWithinLimits(actor: Actor, teamId: number, tx: Transaction): Promise<void> {
    const settings = await visibility.settingsOf(teamId, tx);
    if (settings.claimLimitPerDay === null && settings.holdLimit === null) return;
    const [row] = await sequelize.query<{ claimed: number; held: number }>(
      `SELECT (SELECT count(*)::int FROM customer_owner_log l, tenants t
                WHERE l.actor_id = :userId AND l.reason = 'claim' AND t.id = :tenantId
                  AND l.at >= (date_trunc('day', now() AT TIME ZONE t.time_zone) AT TIME ZONE t.time_zone)) AS claimed,
              (SELECT count(*)::int FROM customers WHERE team_id = :teamId AND owner_id = :userId) AS held`,
      { replacements: { userId: actor.userId, tenantId: actor.tenantId, teamId }, transaction: tx, type: QueryTypes.SELECT },
    );
    if (settings.claimLimitPerDay !== null && row!.claimed >= settings.claimLimitPerDay) {
      throw limitReached(`You have claimed ${row!.claimed} customers today, the team's daily limit`);
    }
    if (settings.holdLimit !== null && row!.held >= settings.holdLimit) {
      throw limitReached(`You hold ${row!.held} customers, the most the team allows; release one first`);
    }
  }

  function reassignNotices(
    actor: Actor,
    record: 'customer' | 'opportunity',
    name: string,
    link: string,
    to: { id: number; name: string },
    from: number | null,
  ): NotificationDraft[] {
    const drafts: NotificationDraft[] = [];
    if (to.id !== actor.userId) {
      drafts.push({
        tenantId: actor.tenantId,
        userId: to.id,
        kind: 'reassigned-to-you',
        params: { actorName: actor.name, record, name },
        link,
      });
    }
    if (from !== null && from !== actor.userId && from !== to.id) {
      drafts.push({
        tenantId: actor.tenantId,
        userId: from,
        kind: 'reassigned-away',
        params: { actorName: actor.name, record, name, toName: to.name },
        link,
      });
    }
    return drafts;
  }

  return {
    reassignNotices,
    assertHolder: (teamId: number, userId: number, tx: Transaction) => assertHolder(db, teamId, userId, tx),

    /** Of any number of simultaneous claims exactly one wins; the others get 409 with who has it. */
    async claim(actor: Actor, id: number, idem?: IdempotencyRef): Promise<Customer> {
      return mutate(actor, idem, async (tx): Promise<Mutation<Customer>> => {
        const c = await loadFor(actor, id, tx);
        if (actor.role === 'admin') throw forbidden('A rep or a manager of the team claims pool customers');
        if (c.ownerId !== null) {
          // A loser of a race learns who won even where it may no longer see the customer; a probe
          // of a record that has not just left the pool learns nothing.
          if (!(await visibility.seesCustomer(actor, c, tx)) && !(await justClaimed(id, tx))) throw notFound('Customer');
          return conflict(actor, id, 'Someone else has this customer; it is no longer in the pool', tx, true);
        }
        await sequelize.query('SELECT pg_advisory_xact_lock(:ns, :userId)', {
          replacements: { ns: CLAIM_LOCK, userId: actor.userId },
          transaction: tx,
          type: QueryTypes.SELECT,
        });
        await assertWithinLimits(actor, c.teamId, tx);
        const customer = await handOver(id, null, actor.userId, tx);
        if (!customer) return conflict(actor, id, 'A teammate claimed this customer first', tx, true);
        await log(tx, { customer, actorId: actor.userId, previousOwnerId: null, reason: 'claim' });
        return { result: customer, fact: changed(customer, null, 'claim', []) };
      });
    },

    /** Its owner or a manager puts a customer back in the pool, saying why. */
    async release(actor: Actor, id: number, reason: string, idem?: IdempotencyRef): Promise<Customer> {
      return mutate(actor, idem, async (tx): Promise<Mutation<Customer>> => {
        const c = await loadFor(actor, id, tx);
        if (!(await visibility.seesCustomer(actor, c, tx))) throw notFound('Customer');
        if (c.ownerId === null) return conflict(actor, id, 'This customer is already in the pool', tx);
        if (actor.role === 'rep' && c.ownerId !== actor.userId) throw forbidden('Only its owner or a manager can release a customer');
        const previous = c.ownerId;
        const customer = await handOver(id, previous, null, tx);
        if (!customer) return conflict(actor, id, 'This customer changed hands meanwhile', tx);
        await log(tx, { customer, actorId: actor.userId, previousOwnerId: previous, reason: 'release', note: reason });
        return { result: visibility.customerFor(actor, customer), fact: changed(customer, previous, 'release', [previous]) };
      });
    },

    /** A manager or admin gives the customer to a member of its team; both reps are told. */
    async reassign(actor: Actor, id: number, ownerId: number, idem?: IdempotencyRef): Promise<Customer> {
      assertManager(actor);
      return mutate(actor, idem, async (tx): Promise<Mutation<Customer>> => {
        const c = await loadFor(actor, id, tx);
        const to = await assertHolder(db, c.teamId, ownerId, tx);
        if (c.ownerId === ownerId) return { result: c.toDto(), fact: null };
        const previous = c.ownerId;
        const customer = await handOver(id, previous, ownerId, tx);
        if (!customer) return conflict(actor, id, 'This customer changed hands meanwhile', tx);
        await log(tx, { customer, actorId: actor.userId, previousOwnerId: previous, reason: 'reassign' });
        const drafts = reassignNotices(actor, 'customer', customer.name, customerLink(id), { id: to.id, name: to.name }, previous);
        const notices = await notifications.store(tx, drafts);
        const alsoTo = previous === null ? [ownerId] : [ownerId, previous];
        return { result: customer, fact: changed(customer, previous, 'reassign', alsoTo), notices };
      });
    },

    /**
     * The recycle scheduler's step: back to the pool if it is still held by `ownerId` and `lockIfDue`
     * (the scheduler's rule, run on the row in this transaction) still finds it due. SKIP LOCKED
     * there and the conditional hand-over here make it happen once, whichever nodes try.
     */
    async recycle(
      candidate: { id: number; ownerId: number; tenantId: number; days: number },
      lockIfDue: (tx: Transaction) => Promise<boolean>,
    ): Promise<boolean> {
      const owner = await User.findByPk(candidate.ownerId, { attributes: ['id', 'name', 'role', 'tenantId', 'teamId'] });
      if (!owner) return false;
      // The event is the owner's loss; the feed says the customer went back for want of follow-up.
      const actor: Actor = {
        userId: owner.id,
        tenantId: owner.tenantId,
        teamId: owner.teamId,
        role: owner.role,
        name: owner.name,
        teamIds: owner.teamId ? [owner.teamId] : [],
      };
      return mutate(actor, undefined, async (tx): Promise<Mutation<boolean>> => {
        if (!(await lockIfDue(tx))) return { result: false, fact: null };
        const customer = await handOver(candidate.id, candidate.ownerId, null, tx);
        if (!customer) return { result: false, fact: null };
        await log(tx, { customer, actorId: owner.id, previousOwnerId: owner.id, reason: 'recycle' });
        const notices = await notifications.store(tx, [
          {
            tenantId: candidate.tenantId,
            userId: owner.id,
            kind: 'customer-recycled',
            params: { customerName: customer.name, days: candidate.days },
            link: customerLink(customer.id),
          },
        ]);
        return { result: true, fact: changed(customer, owner.id, 'recycle', [owner.id]), notices };
      });
    },
  };
}

export type CustomerOwnerOps = ReturnType<typeof createCustomerOwnerOps>;
