import { Op, QueryTypes, type Transaction } from 'sequelize';
import { phoneKey, type CustomerModel, type Database } from '@live-crm/models';
import type { Customer, CustomerListResponse, Note } from '@live-crm/shared-types';
import { assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/app-error.js';
import type { Handover } from '../../core/handover.js';
import type { AnyTeamFact, IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { masked, type VisibilityRules } from '../ownership/visibility.js';
import { listCustomerIds } from './customer-list.js';
import { createCustomerOwnerOps } from './customer-owner.service.js';
import type { CustomerCreateInput, CustomerListInput, CustomerPatchInput } from './customer.schemas.js';

export interface CustomerServiceDeps {
  db: Database;
  mutate: MutationRunner;
  visibility: VisibilityRules;
  notifications: NotificationsService;
}

/** Advisory-lock namespace for "one phone or email per tenant" checks (second key: tenant id). */
const DUPLICATE_LOCK = 3001;

/** The only writer of customers and their notes. */
export function createCustomerService({ db, mutate, visibility, notifications }: CustomerServiceDeps) {
  const { sequelize } = db;
  const { Customer, Note, User } = db.models;
  const owners = createCustomerOwnerOps({ db, mutate, visibility, notifications });
  const shown = visibility.customerFor;

  /** The customer if the actor may see it (team, and in `owner` mode a rep's own or the pool's), else 404. */
  async function loadFor(actor: Actor, id: number, tx?: Transaction): Promise<CustomerModel> {
    const customer = await Customer.findByPk(id, { transaction: tx ?? null });
    if (!customer) throw notFound('Customer');
    assertTeamAccess(actor, customer.teamId, 'Customer');
    if (!(await visibility.seesCustomer(actor, customer, tx))) throw notFound('Customer');
    return customer;
  }

  /** Reps and managers list their team; an admin every team of the tenant, or the one named. */
  function listTeams(actor: Actor, requested?: number): number[] {
    if (actor.role === 'admin' && requested === undefined) return actor.teamIds;
    return [resolveTeam(actor, requested)];
  }

  /**
   * 409 `duplicate` when another customer of the tenant has this phone (compared as phone keys, so
   * any spelling of one number matches) or email. The tenant lock makes the check and the write
   * atomic against a concurrent create of the same person.
   */
  async function assertNoDuplicate(
    actor: Actor,
    probe: { phone?: string | null; email?: string | null },
    tx: Transaction,
    exceptId?: number,
  ) {
    const key = phoneKey(probe.phone);
    const match = [key ? { phoneKey: key } : null, probe.email ? { email: probe.email } : null].filter((m) => m !== null);
    if (match.length === 0) return;
    await sequelize.query('SELECT pg_advisory_xact_lock(:ns, :tenantId)', {
      replacements: { ns: DUPLICATE_LOCK, tenantId: actor.tenantId },
      transaction: tx,
      type: QueryTypes.SELECT,
    });
    const dup = await Customer.findOne({
      where: { tenantId: actor.tenantId, [Op.or]: match, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) },
      order: [['id', 'ASC']],
      transaction: tx,
    });
    if (!dup) return;
    const field = key && dup.phoneKey === key ? 'phone' : 'email';
    const what = field === 'phone' ? 'phone number' : 'email';
    const fields = [{ path: field, message: 'already used by another customer' }];
    if (!actor.teamIds.includes(dup.teamId)) {
      // Another team's customer is not the caller's to read: not its id, its team, nor its fields.
      throw new AppError('duplicate', `This ${what} already belongs to a customer of another team`, { details: { fields } });
    }
    throw new AppError('duplicate', `${dup.name} already has this ${what}; open that customer instead`, {
      details: { fields, customerId: dup.id },
      current: shown(actor, dup.toDto()),
    });
  }

  /** Customers of one team are created one at a time in commit order (ids and created_at included). */
  async function lockTeamClock(teamId: number, tx: Transaction): Promise<Date> {
    const [row] = await sequelize.query<{ now: Date }>('SELECT clock_timestamp() AS now FROM teams WHERE id = :teamId FOR UPDATE', {
      replacements: { teamId },
      transaction: tx,
      type: QueryTypes.SELECT,
    });
    if (!row) throw notFound('Team');
    return new Date(row.now);
  }

  async function stale(actor: Actor, id: number, tx: Transaction): Promise<never> {
    const current = await Customer.findByPk(id, { transaction: tx });
    if (!current) throw notFound('Customer');
    throw new AppError('conflict', 'Someone changed this customer first; here is the latest version', {
      current: shown(actor, current.toDto()),
    });
  }

  return {
    async list(actor: Actor, q: CustomerListInput): Promise<CustomerListResponse> {
      const teamIds = listTeams(actor, q.teamId);
      // A rep's teams share one visibility (their own team); managers and admins see every record.
      const scope = teamIds.length === 1 ? await visibility.scopeFor(actor, teamIds[0]!) : null;
      const page = await listCustomerIds(sequelize, q, teamIds, { me: actor.userId, restrictTo: scope });
      const rows = page.ids.length ? await Customer.findAll({ where: { id: page.ids } }) : [];
      const byId = new Map(rows.map((r) => [r.id, shown(actor, r.toDto())]));
      const customers = page.ids.map((id) => byId.get(id)).filter((c): c is Customer => c !== undefined);
      return { customers, hasMore: page.hasMore, total: page.total, totalCapped: page.totalCapped, nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: number): Promise<Customer> {
      return shown(actor, (await loadFor(actor, id)).toDto());
    },

    async create(actor: Actor, input: CustomerCreateInput, idem?: IdempotencyRef): Promise<Customer> {
      const teamId = resolveTeam(actor, input.teamId);
      return mutate(actor, idem, async (tx) => {
        await assertNoDuplicate(actor, input, tx);
        const now = await lockTeamClock(teamId, tx);
        const row = await Customer.create(
          {
            tenantId: actor.tenantId,
            teamId,
            name: input.name,
            company: input.company ?? null,
            phone: input.phone ?? null,
            email: input.email ?? null,
            status: input.status ?? 'lead',
            ownerId: actor.role === 'admin' ? null : actor.userId,
            ownedSince: actor.role === 'admin' ? null : now,
            address: input.address ?? null,
            lastContactAt: null,
            createdAt: now,
            updatedAt: now,
          },
          { transaction: tx },
        );
        const customer = row.toDto();
        return { result: shown(actor, customer), fact: { teamId, type: 'customer:created', data: { customer: masked(customer) } } };
      });
    },

    async update(actor: Actor, id: number, patch: CustomerPatchInput, idem?: IdempotencyRef): Promise<Customer> {
      const { version, ...fields } = patch;
      return mutate(actor, idem, async (tx) => {
        const existing = await loadFor(actor, id, tx);
        await assertNoDuplicate(actor, { phone: fields.phone, email: fields.email }, tx, id);
        const [count] = await Customer.update({ ...fields, version: existing.version + 1 }, { where: { id, version }, transaction: tx });
        if (count === 0) return stale(actor, id, tx);
        const customer = (await Customer.findByPk(id, { transaction: tx }))!.toDto();
        return {
          result: shown(actor, customer),
          fact: { teamId: existing.teamId, type: 'customer:updated', data: { customer: masked(customer) } },
        };
      });
    },

    /** Every customer the leaver owns in the team passes to `to`, inside the caller's transaction: one fact each. */
    async handOverWithin(tx: Transaction, { teamId, from, to }: Handover): Promise<AnyTeamFact[]> {
      const [, rows] = await Customer.update(
        // The heir's recycle clock starts now, and any warning was the leaver's.
        { ownerId: to, ownedSince: new Date(), recycleWarnedAt: null, version: sequelize.literal('version + 1') },
        { where: { teamId, ownerId: from }, returning: true, transaction: tx },
      );
      return rows
        .sort((a, b) => a.id - b.id)
        .map((row) => ({
          teamId,
          type: 'customer:owner-changed' as const,
          data: { customer: row.toDto(), previousOwnerId: from, reason: 'handover' as const },
        }));
    },

    /** For other domains' writes inside their own transaction: the customer, or a 404 (also where owner mode hides it). */
    reachable: loadFor,

    claim: owners.claim,
    release: owners.release,
    reassign: owners.reassign,
    /** The recycle scheduler's step and the owner checks the pipeline's reassignment shares. */
    owners,

    /**
     * Called by a contact-logging write in its transaction. Only moves forward; not a user edit, so
     * `version` stays (a rep editing the profile is not refused because a teammate made a call).
     */
    async touchLastContact(customerId: number, at: Date, tx: Transaction): Promise<void> {
      await sequelize.query('UPDATE customers SET last_contact_at = GREATEST(COALESCE(last_contact_at, :at), :at) WHERE id = :id', {
        replacements: { id: customerId, at },
        transaction: tx,
        type: QueryTypes.UPDATE,
      });
    },

    async listNotes(actor: Actor, customerId: number, limit: number): Promise<Note[]> {
      await loadFor(actor, customerId);
      const notes = await Note.findAll({
        where: { customerId },
        include: [{ model: User, as: 'author', attributes: ['id', 'name'] }],
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return notes.map((n) => n.toDto());
    },

    async addNote(actor: Actor, customerId: number, content: string, idem?: IdempotencyRef): Promise<Note> {
      return mutate(actor, idem, async (tx) => {
        const customer = await loadFor(actor, customerId, tx);
        const row = await Note.create(
          {
            tenantId: customer.tenantId,
            teamId: customer.teamId,
            customerId,
            authorId: actor.userId,
            content,
          },
          { transaction: tx },
        );
        const note = row.toDto(actor.name);
        return { result: note, fact: { teamId: customer.teamId, type: 'customer:note-added', data: { customerId, note } } };
      });
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
