import type { Transaction } from 'sequelize';
import type { CustomerModel, Database } from '@live-crm/models';
import type { Communication, CommunicationStatus, FollowUp, FollowUpResponse, Message, Task } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { CustomerService } from '../customers/customer.service.js';
import type { TasksService } from '../tasks/tasks.service.js';
import type { CommunicationCreateInput, FollowUpCreateInput, MessageCreateInput } from './communication.schemas.js';

export interface CommunicationServiceDeps {
  db: Database;
  mutate: MutationRunner;
  customers: CustomerService;
  tasks: TasksService;
}

/** A failed or missed call is logged for the timeline but is not a contact. */
const CONTACT_STATUSES = new Set<CommunicationStatus>(['initiated', 'connected', 'completed']);
const REMIND_BEFORE_MS = 30 * 60_000;

/**
 * The only writer of messages, communications and follow-ups (with the follow-up's task; activities
 * have their own service). `lastContactAt` moves through the customer service, inside the same transaction.
 */
export function createCommunicationService({ db, mutate, customers, tasks }: CommunicationServiceDeps) {
  const { Message, Communication, FollowUp, User } = db.models;
  const byUser = (as: string) => [{ model: User, as, attributes: ['id', 'name'] }];

  /**
   * A follow-up and its task (due at the time, reminder 30 minutes before, assigned to the caller),
   * inside the caller's transaction: POST /follow-ups and a record's next step share it.
   */
  async function bookFollowUp(
    tx: Transaction,
    actor: Actor,
    customer: CustomerModel,
    scheduledAt: Date,
    notes: string | null,
  ): Promise<{ followUp: FollowUp; task: Task }> {
    const base = { tenantId: customer.tenantId, teamId: customer.teamId, customerId: customer.id };
    const task = await tasks.createWithin(tx, {
      ...base,
      customerName: customer.name,
      description: notes,
      dueAt: scheduledAt,
      remindAt: new Date(scheduledAt.getTime() - REMIND_BEFORE_MS),
      assigneeId: actor.userId,
      createdById: actor.userId,
    });
    const row = await FollowUp.create({ ...base, userId: actor.userId, taskId: task.id, scheduledAt, notes }, { transaction: tx });
    return { followUp: row.toDto(), task };
  }

  return {
    async sendMessage(actor: Actor, input: MessageCreateInput, idem?: IdempotencyRef): Promise<{ success: true; message: Message }> {
      return mutate(actor, idem, async (tx) => {
        const customer = await customers.reachable(actor, input.customerId, tx);
        const row = await Message.create(
          {
            tenantId: customer.tenantId,
            teamId: customer.teamId,
            customerId: customer.id,
            senderId: actor.userId,
            type: input.type,
            content: input.message,
          },
          { transaction: tx },
        );
        await customers.touchLastContact(customer.id, row.createdAt, tx);
        const message = row.toDto(actor.name);
        return {
          result: { success: true as const, message },
          fact: { teamId: customer.teamId, type: 'message:created', data: { message } },
        };
      });
    },

    async logCommunication(actor: Actor, input: CommunicationCreateInput, idem?: IdempotencyRef): Promise<Communication> {
      return mutate(actor, idem, async (tx) => {
        const customer = await customers.reachable(actor, input.customerId, tx);
        const dialled = input.type === 'call' || input.type === 'sms' ? customer.phone : null;
        const row = await Communication.create(
          {
            tenantId: customer.tenantId,
            teamId: customer.teamId,
            customerId: customer.id,
            userId: actor.userId,
            type: input.type,
            direction: input.direction,
            status: input.status,
            phoneNumber: input.phoneNumber ?? dialled,
            durationSec: input.durationSec ?? null,
            error: input.error ?? null,
          },
          { transaction: tx },
        );
        if (CONTACT_STATUSES.has(input.status)) await customers.touchLastContact(customer.id, row.createdAt, tx);
        const communication = row.toDto();
        return { result: communication, fact: { teamId: customer.teamId, type: 'communication:logged', data: { communication } } };
      });
    },

    /**
     * The follow-up and its task (due at the scheduled time, reminder 30 minutes before, assigned
     * to the caller) commit together; teammates hear one `task:created`.
     */
    async scheduleFollowUp(actor: Actor, input: FollowUpCreateInput, idem?: IdempotencyRef): Promise<FollowUpResponse> {
      return mutate(actor, idem, async (tx) => {
        const customer = await customers.reachable(actor, input.customerId, tx);
        const booked = await bookFollowUp(tx, actor, customer, new Date(input.scheduledDate), input.notes || null);
        return {
          result: { success: true as const, ...booked },
          fact: { teamId: customer.teamId, type: 'task:created', data: { task: booked.task } },
        };
      });
    },

    bookFollowUp,

    async messages(actor: Actor, customerId: number, limit: number): Promise<Message[]> {
      await customers.reachable(actor, customerId);
      const rows = await Message.findAll({
        where: { customerId },
        include: byUser('sender'),
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return rows.map((r) => r.toDto());
    },

    async communications(actor: Actor, customerId: number, limit: number): Promise<Communication[]> {
      await customers.reachable(actor, customerId);
      const rows = await Communication.findAll({
        where: { customerId },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return rows.map((r) => r.toDto());
    },
  };
}

export type CommunicationService = ReturnType<typeof createCommunicationService>;
