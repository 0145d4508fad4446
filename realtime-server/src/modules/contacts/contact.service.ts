import { QueryTypes, type Transaction } from 'sequelize';
import type { ContactModel, Database } from '@live-crm/models';
import type { Contact } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { CustomerService } from '../customers/customer.service.js';
import type { ContactCreateInput, ContactPatchInput } from './contact.schemas.js';

export interface ContactServiceDeps {
  db: Database;
  mutate: MutationRunner;
  customers: CustomerService;
}

/**
 * The only writer of contacts. A contact is reached through its customer (who may see the customer
 * may see its people). Making one primary demotes the customer's previous primary in the same
 * transaction; phones apply that from the fact (a primary contact arriving clears the others').
 */
export function createContactService({ db, mutate, customers }: ContactServiceDeps) {
  const { Contact } = db.models;

  async function loadFor(actor: Actor, id: number, tx?: Transaction): Promise<ContactModel> {
    const contact = await Contact.findByPk(id, { transaction: tx ?? null, ...(tx ? { lock: tx.LOCK.UPDATE } : {}) });
    if (!contact) throw notFound('Contact');
    await customers.reachable(actor, contact.customerId, tx).catch(() => {
      throw notFound('Contact');
    });
    return contact;
  }

  /**
   * Two primary writes on one customer would both demote and both insert a primary, and the unique
   * partial index answers the loser with a 500. Taking the customer row lock first queues them:
   * the later one demotes the earlier one's primary and wins.
   */
  async function lockCustomer(customerId: number, tx: Transaction): Promise<void> {
    await db.sequelize.query('SELECT id FROM customers WHERE id = :customerId FOR UPDATE', {
      replacements: { customerId },
      transaction: tx,
      type: QueryTypes.SELECT,
    });
  }

  async function demoteOthers(customerId: number, exceptId: number, tx: Transaction): Promise<void> {
    await db.sequelize.query(
      `UPDATE contacts SET "primary" = false, version = version + 1, updated_at = now()
        WHERE customer_id = :customerId AND "primary" AND id <> :exceptId`,
      { replacements: { customerId, exceptId }, transaction: tx, type: QueryTypes.UPDATE },
    );
  }

  return {
    async list(actor: Actor, customerId: number): Promise<Contact[]> {
      await customers.reachable(actor, customerId);
      const rows = await Contact.findAll({
        where: { customerId },
        order: [
          ['primary', 'DESC'],
          ['id', 'ASC'],
        ],
      });
      return rows.map((r) => r.toDto());
    },

    async create(actor: Actor, customerId: number, input: ContactCreateInput, idem?: IdempotencyRef): Promise<Contact> {
      return mutate(actor, idem, async (tx) => {
        const customer = await customers.reachable(actor, customerId, tx);
        if (input.primary) {
          await lockCustomer(customer.id, tx);
          await demoteOthers(customer.id, 0, tx);
        }
        const row = await Contact.create(
          {
            tenantId: customer.tenantId,
            teamId: customer.teamId,
            customerId: customer.id,
            name: input.name,
            title: input.title ?? null,
            phone: input.phone ?? null,
            email: input.email ?? null,
            wechat: input.wechat ?? null,
            role: input.role ?? 'other',
            primary: input.primary ?? false,
          },
          { transaction: tx },
        );
        const contact = row.toDto();
        return { result: contact, fact: { teamId: customer.teamId, type: 'contact:created', data: { contact } } };
      });
    },

    async update(actor: Actor, id: number, patch: ContactPatchInput, idem?: IdempotencyRef): Promise<Contact> {
      const { version, ...fields } = patch;
      return mutate(actor, idem, async (tx) => {
        // Customer lock before the contact lock, the order create takes them in (no deadlock).
        if (fields.primary) {
          const owner = await Contact.findByPk(id, { attributes: ['customerId'], transaction: tx });
          if (owner) await lockCustomer(owner.customerId, tx);
        }
        const existing = await loadFor(actor, id, tx);
        if (existing.version !== version) {
          throw new AppError('conflict', 'Someone changed this contact first; here is the latest version', { current: existing.toDto() });
        }
        if (fields.primary) await demoteOthers(existing.customerId, id, tx);
        await existing.update({ ...fields, version: existing.version + 1 }, { transaction: tx });
        const contact = existing.toDto();
        return { result: contact, fact: { teamId: existing.teamId, type: 'contact:updated', data: { contact } } };
      });
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;
