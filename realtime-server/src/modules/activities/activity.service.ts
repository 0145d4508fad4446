import { Op, type Transaction } from 'sequelize';
import type { ActivityModel, CustomerModel, Database } from '@live-crm/models';
import type { Activity, ActivityResponse, ActivityType, VisitsResponse } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import type { CommunicationService } from '../communications/communication.service.js';
import type { CustomerService } from '../customers/customer.service.js';
import { customerLink, type NotificationsService } from '../notifications/notifications.service.js';
import type { ActivityCreateInput, VisitsQueryInput } from './activity.schemas.js';

export interface ActivityServiceDeps {
  db: Database;
  mutate: MutationRunner;
  customers: CustomerService;
  attachments: AttachmentService;
  notifications: NotificationsService;
  communications: CommunicationService;
  /** Who a mentioned user is now (null: unknown or deactivated), to ask whether they may see the customer. */
  actorFor: (userId: number) => Promise<Actor | null>;
}

/** Activities that mean someone actually reached (or tried to reach) the customer. */
const CONTACT_ACTIVITIES = new Set<ActivityType>(['call', 'meeting', 'email', 'message', 'visit', 'wechat']);
const DAY = 86_400_000;
/** A follow-up task's description: the record it came from, cut to the column's sensible length. */
const NOTES_MAX = 2000;

const invalid = (path: string, message: string): AppError =>
  new AppError('validation', message, { details: { fields: [{ path, message }] } });

/**
 * The only writer of activities: a rep's typed record (photos, contact, deal, place, next step,
 * mentions) as one transaction and one `activity:created`; the timeline and the visit log read them.
 * A move's stage-change activity is written by the pipeline's one-statement move.
 */
export function createActivityService(deps: ActivityServiceDeps) {
  const { db, mutate, customers, attachments, notifications, communications, actorFor } = deps;
  const { Activity, Opportunity, Contact, User } = db.models;
  const withActor = [{ model: User, as: 'actor', attributes: ['id', 'name'] }];

  async function assertBelongs(input: ActivityCreateInput, customerId: number, tx: Transaction): Promise<void> {
    if (input.opportunityId) {
      const opp = await Opportunity.findOne({ where: { id: input.opportunityId, customerId }, attributes: ['id'], transaction: tx });
      if (!opp) throw invalid('opportunityId', 'That deal does not belong to this customer');
    }
    if (input.contactId) {
      const contact = await Contact.findOne({ where: { id: input.contactId, customerId }, attributes: ['id'], transaction: tx });
      if (!contact) throw invalid('contactId', 'That contact does not belong to this customer');
    }
  }

  /** Every mentioned user must be able to see the customer now; anyone else makes the whole record a 400. */
  async function assertMentionable(actor: Actor, customer: CustomerModel, userIds: number[], tx: Transaction): Promise<void> {
    for (const userId of userIds) {
      const them = await actorFor(userId);
      const sees =
        them !== null &&
        them.tenantId === actor.tenantId &&
        (await customers.reachable(them, customer.id, tx).then(
          () => true,
          () => false,
        ));
      if (!sees) throw invalid('mentions', 'Someone you mentioned cannot see this customer; mention only people who can');
    }
  }

  async function withAttachments(rows: ActivityModel[]): Promise<Activity[]> {
    const photos = await attachments.ofActivities(rows.map((r) => r.id));
    return rows.map((r) => r.toDto(undefined, photos.get(r.id) ?? []));
  }

  return {
    async log(actor: Actor, input: ActivityCreateInput, idem?: IdempotencyRef): Promise<ActivityResponse> {
      return mutate(actor, idem, async (tx) => {
        const customer = await customers.reachable(actor, input.customerId, tx);
        await assertBelongs(input, customer.id, tx);
        const mentions = input.mentions ?? [];
        await assertMentionable(actor, customer, mentions, tx);
        const now = new Date();
        const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
        const row = await Activity.create(
          {
            tenantId: customer.tenantId,
            teamId: customer.teamId,
            customerId: customer.id,
            opportunityId: input.opportunityId ?? null,
            contactId: input.contactId ?? null,
            location: input.location ?? null,
            mentions,
            actorId: actor.userId,
            type: input.type,
            content: input.content,
            occurredAt,
          },
          { transaction: tx },
        );
        const photos = await attachments.attachWithin(tx, actor, { id: row.id, teamId: customer.teamId }, input.attachmentIds ?? []);
        // A contact dated in the future does not count until it happens.
        if (CONTACT_ACTIVITIES.has(input.type)) await customers.touchLastContact(customer.id, occurredAt < now ? occurredAt : now, tx);
        const next = input.nextFollowUpAt
          ? await communications.bookFollowUp(
              tx,
              actor,
              customer,
              new Date(input.nextFollowUpAt),
              [...input.content].slice(0, NOTES_MAX).join(''),
            )
          : null;
        const notices = await notifications.store(
          tx,
          mentions
            .filter((userId) => userId !== actor.userId)
            .map((userId) => ({
              tenantId: customer.tenantId,
              userId,
              kind: 'mention' as const,
              params: { actorName: actor.name, customerName: customer.name },
              link: customerLink(customer.id),
            })),
        );
        const activity = row.toDto(actor.name, photos);
        // One envelope: the follow-up task rides in the record's fact (the runner publishes one fact per write).
        const result: ActivityResponse = next ? { activity, task: next.task } : { activity };
        return { result, fact: { teamId: customer.teamId, type: 'activity:created', data: result }, notices };
      });
    },

    /** A customer's timeline, newest first, with each record's photos. */
    async timeline(actor: Actor, customerId: number, limit: number): Promise<Activity[]> {
      await customers.reachable(actor, customerId);
      const rows = await Activity.findAll({
        where: { customerId },
        include: withActor,
        order: [
          ['occurredAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return withAttachments(rows);
    },

    /** The visit log: a rep's own visits; a manager's team (or one rep of it); an admin's tenant. */
    async visits(actor: Actor, q: VisitsQueryInput): Promise<VisitsResponse> {
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY);
      const actorId = actor.role === 'rep' ? actor.userId : q.userId;
      const rows = await Activity.findAll({
        where: {
          teamId: { [Op.in]: actor.teamIds },
          type: 'visit',
          occurredAt: { [Op.gte]: from, [Op.lte]: to },
          ...(actorId !== undefined ? { actorId } : {}),
        },
        include: withActor,
        order: [
          ['occurredAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: q.limit,
      });
      return { visits: await withAttachments(rows) };
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
