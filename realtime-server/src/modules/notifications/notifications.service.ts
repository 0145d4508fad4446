import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Database, NotificationModel } from '@live-crm/models';
import type {
  NotificationPayload,
  NotificationText,
  NotificationsResponse,
  SubscriptionConsentRequest,
  SubscriptionConsentResponse,
  SubscriptionStatusResponse,
} from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import type { UserNotice } from '../../core/event-bus.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';

export interface NotificationsServiceDeps {
  db: Database;
  mutate: MutationRunner;
  /** The task reminder template, only when WeChat messages can actually be sent (else no consent is worth asking). */
  reminderTemplateId?: string | undefined;
}

/**
 * A notification to store for one user; other services hand these over inside their transaction.
 * It carries no text: the phone writes it from `kind` and `params` in its own language.
 */
export type NotificationDraft = NotificationText & {
  tenantId: number;
  userId: number;
  link: string | null;
};

export interface NotificationPage {
  limit: number;
  before?: number;
}

/** Mini program page a task notification opens. */
export const taskLink = (taskId: number): string => `/pages/task-detail/index?id=${taskId}`;
/** Mini program page a customer notification (a mention) opens. */
export const customerLink = (customerId: number): string => `/pages/customer-detail/index?id=${customerId}`;

function payloadOf(row: NotificationModel): NotificationPayload {
  const { readAt: _unread, ...payload } = row.toDto();
  return payload;
}

/** The only writer of notifications and subscription consents; a user reads only their own. */
export function createNotificationsService({ db, mutate, reminderTemplateId }: NotificationsServiceDeps) {
  const { Notification, SubscriptionConsent } = db.models;
  const { sequelize } = db;

  async function page(userId: number, opts: NotificationPage, tx?: Transaction): Promise<NotificationsResponse> {
    const where = { userId, ...(opts.before !== undefined ? { id: { [Op.lt]: opts.before } } : {}) };
    const rows = await Notification.findAll({ where, order: [['id', 'DESC']], limit: opts.limit, transaction: tx ?? null });
    const unread = await Notification.count({ where: { userId, readAt: null }, transaction: tx ?? null });
    return { notifications: rows.map((r) => r.toDto()), unread };
  }

  return {
    /** Stores drafts in the caller's transaction; the notices are sent to `user:<id>` after it commits. */
    async store(tx: Transaction, drafts: NotificationDraft[]): Promise<UserNotice[]> {
      if (drafts.length === 0) return [];
      // One multi-row INSERT; PostgreSQL returns the rows in VALUES order.
      const rows = await Notification.bulkCreate(drafts, { transaction: tx, returning: true });
      return rows.map((row) => ({ userId: row.userId, notification: payloadOf(row) }));
    },

    list(actor: Actor, opts: NotificationPage): Promise<NotificationsResponse> {
      return page(actor.userId, opts);
    },

    /** Marks the caller's notifications read (all when `ids` is absent); others' ids are ignored. */
    markRead(actor: Actor, ids: number[] | undefined, limit: number, idem?: IdempotencyRef): Promise<NotificationsResponse> {
      return mutate(actor, idem, async (tx) => {
        await Notification.update(
          { readAt: new Date() },
          { where: { userId: actor.userId, readAt: null, ...(ids ? { id: ids } : {}) }, transaction: tx },
        );
        return { result: await page(actor.userId, { limit }, tx), fact: null };
      });
    },

    /** Which template the client should ask consent for (null: none) and how many consents the caller has left. */
    async subscriptionStatus(actor: Actor): Promise<SubscriptionStatusResponse> {
      if (!reminderTemplateId) return { templateId: null, remaining: 0 };
      const row = await SubscriptionConsent.findOne({ where: { userId: actor.userId, templateId: reminderTemplateId } });
      return { templateId: reminderTemplateId, remaining: row?.remaining ?? 0 };
    },

    /** Each accepted `wx.requestSubscribeMessage` allows one more message for that template. */
    recordConsent(actor: Actor, input: SubscriptionConsentRequest, idem?: IdempotencyRef): Promise<SubscriptionConsentResponse> {
      return mutate(actor, idem, async (tx) => {
        if (input.accepted) {
          await sequelize.query(
            `INSERT INTO subscription_consents (user_id, template_id, remaining, created_at, updated_at)
             VALUES (:userId, :templateId, 1, now(), now())
             ON CONFLICT (user_id, template_id)
             DO UPDATE SET remaining = subscription_consents.remaining + 1, updated_at = now()`,
            { replacements: { userId: actor.userId, templateId: input.templateId }, transaction: tx, type: QueryTypes.INSERT },
          );
        }
        const row = await SubscriptionConsent.findOne({ where: { userId: actor.userId, templateId: input.templateId }, transaction: tx });
        return { result: { templateId: input.templateId, accepted: input.accepted, remaining: row?.remaining ?? 0 }, fact: null };
      });
    },

    /**
     * Spends up to `wanted` of a user's consents for a template inside the caller's transaction and
     * answers how many were spent; the row lock makes concurrent spenders queue, never double-spend.
     */
    async spendConsents(tx: Transaction, userId: number, templateId: string, wanted: number): Promise<number> {
      const row = await SubscriptionConsent.findOne({ where: { userId, templateId }, transaction: tx, lock: tx.LOCK.UPDATE });
      const spent = Math.min(row?.remaining ?? 0, wanted);
      if (row && spent > 0) await row.update({ remaining: row.remaining - spent }, { transaction: tx });
      return spent;
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
