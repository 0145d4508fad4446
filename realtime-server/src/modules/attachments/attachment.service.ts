import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { Attachment, AttachmentMime } from '@live-crm/shared-types';
import { resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import type { CustomerService } from '../customers/customer.service.js';
import type { Upload } from './attachment.upload.js';

export interface AttachmentServiceDeps {
  db: Database;
  mutate: MutationRunner;
  customers: CustomerService;
  /** Base URL links are built on (PUBLIC_URL, else this node's own address). */
  publicUrl: () => string;
}

export interface AttachmentRow {
  id: number;
  mime: AttachmentMime;
  size: number;
}

/** The path an attachment's bytes are served on, under the public URL. */
export const attachmentPath = (id: number): string => `/api/crm/attachments/${id}`;

/**
 * The only writer of attachments. A photo is uploaded first (unattached: only its uploader sees it),
 * then an activity takes it in its own transaction (`attachWithin`); from then on whoever may see
 * that activity's customer may read it, and nobody else (404, like any record out of reach).
 */
export function createAttachmentService({ db, mutate, customers, publicUrl }: AttachmentServiceDeps) {
  const { Attachment, Activity } = db.models;
  const dto = (row: AttachmentRow): Attachment => ({
    id: row.id,
    mime: row.mime,
    size: row.size,
    url: `${publicUrl()}${attachmentPath(row.id)}`,
  });

  return {
    dto,

    async upload(actor: Actor, file: Upload, idem?: IdempotencyRef): Promise<Attachment> {
      const teamId = resolveTeam(actor);
      return mutate(actor, idem, async (tx) => {
        const row = await Attachment.create(
          {
            tenantId: actor.tenantId,
            teamId,
            uploaderId: actor.userId,
            activityId: null,
            mime: file.mime,
            size: file.data.length,
            data: file.data,
          },
          { transaction: tx },
        );
        // Nobody else can see an unattached photo: no team fact.
        return { result: dto(row), fact: null };
      });
    },

    /** The bytes, to the uploader of an unattached photo or to whoever may see its record's customer. */
    async open(actor: Actor, id: number): Promise<{ mime: AttachmentMime; data: Buffer }> {
      const row = await Attachment.findByPk(id);
      if (!row || row.tenantId !== actor.tenantId) throw notFound('Photo');
      if (row.activityId === null) {
        if (row.uploaderId !== actor.userId) throw notFound('Photo');
      } else {
        const activity = await Activity.findByPk(row.activityId, { attributes: ['id', 'customerId'] });
        if (!activity?.customerId) throw notFound('Photo');
        await customers.reachable(actor, activity.customerId).catch(() => {
          throw notFound('Photo');
        });
      }
      return { mime: row.mime, data: row.data };
    },

    /**
     * Hands the caller's own unattached photos to an activity inside its transaction; the row locks
     * make two records racing for one photo end with one winner and one 400.
     */
    async attachWithin(tx: Transaction, actor: Actor, activity: { id: number; teamId: number }, ids: number[]): Promise<Attachment[]> {
      if (ids.length === 0) return [];
      const rows = await db.sequelize.query<AttachmentRow>(
        `UPDATE attachments SET activity_id = :activityId, team_id = :teamId
          WHERE id IN (:ids) AND uploader_id = :userId AND activity_id IS NULL
          RETURNING id, mime, size`,
        {
          replacements: { activityId: activity.id, teamId: activity.teamId, ids, userId: actor.userId },
          transaction: tx,
          type: QueryTypes.SELECT,
        },
      );
      if (rows.length !== ids.length) {
        throw new AppError('validation', 'A photo is not one you uploaded, or another record already has it; upload it again', {
          details: { fields: [{ path: 'attachmentIds', message: 'unknown or already attached photo' }] },
        });
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => dto(byId.get(id)!));
    },

    /** Each activity's photos in upload order, without their bytes. */
    async ofActivities(activityIds: number[], tx?: Transaction): Promise<Map<number, Attachment[]>> {
      const out = new Map<number, Attachment[]>();
      if (activityIds.length === 0) return out;
      const rows = await Attachment.findAll({
        where: { activityId: { [Op.in]: activityIds } },
        attributes: ['id', 'activityId', 'mime', 'size'],
        order: [['id', 'ASC']],
        transaction: tx ?? null,
      });
      for (const row of rows) out.set(row.activityId!, [...(out.get(row.activityId!) ?? []), dto(row)]);
      return out;
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
