import type { Logger } from 'pino';
import { QueryTypes } from 'sequelize';
import type { Database, ImportModel } from '@live-crm/models';
import type { ImportAccepted, ImportApplied, ImportApplyRequest, ImportResponse } from '@live-crm/shared-types';
import { assertManager, assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { VisibilityRules } from '../ownership/visibility.js';
import type { EventBus } from '../../core/event-bus.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import { writeImport, type StoredRow } from './import.apply.js';
import { createCheckJob } from './import.job.js';
import { readSheet } from './import.reader.js';

export interface ImportServiceDeps {
  db: Database;
  mutate: MutationRunner;
  bus: EventBus;
  logger?: Logger;
  /** Who may read a report in an `owner` visibility team (unset: the team's members). */
  visibility?: Pick<VisibilityRules, 'scopeFor'>;
  /** Rows checked between two progress events (and two turns of the event loop). */
  sliceSize?: number;
  /** A check silent this long died with its node: the import reads as failed. */
  staleAfterMs?: number;
}

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
  /** Admins name the team; everyone else imports into their own. */
  teamId?: number;
}

/** Same namespace as the customer service's duplicate lock: imports and single creates take turns per tenant. */
const DUPLICATE_LOCK = 3001;

/** The only writer of imports; customers it writes go through the mutation runner like every other write. */
export function createImportService({ db, mutate, bus, logger, visibility, sliceSize = 500, staleAfterMs = 120_000 }: ImportServiceDeps) {
  const { Import } = db.models;
  const check = createCheckJob({ db, bus, sliceSize });
  const running = new Set<Promise<void>>();

  async function fail(imp: ImportModel): Promise<void> {
    await Import.update({ status: 'failed' }, { where: { id: imp.id, status: 'checking' } });
    bus.progress({ userId: imp.createdBy, progress: { id: imp.id, processed: imp.processed, total: imp.total, status: 'failed' } });
  }

  /** The import if the actor's team holds it (404 otherwise, as for another tenant's). */
  async function loadFor(actor: Actor, id: number): Promise<ImportModel> {
    const imp = await Import.findByPk(id);
    if (!imp || imp.tenantId !== actor.tenantId) throw notFound('Import');
    assertTeamAccess(actor, imp.teamId, 'Import');
    // In `owner` visibility a report (it names the team's customers a row repeats) is not a rep's to read.
    if (imp.createdBy !== actor.userId && (await visibility?.scopeFor(actor, imp.teamId)) != null) throw notFound('Import');
    if (imp.status === 'checking' && Date.now() - imp.updatedAt.getTime() > staleAfterMs) {
      await fail(imp);
      await imp.reload();
    }
    return imp;
  }

  return {
    /**
     * Reads the file now (a bad, empty or oversized sheet is refused before anything is stored),
     * answers at once, and checks the rows in the background.
     */
    async start(actor: Actor, file: UploadedFile, idem?: IdempotencyRef): Promise<ImportAccepted> {
      assertManager(actor);
      const teamId = resolveTeam(actor, file.teamId);
      const sheet = await readSheet(file.bytes);
      let fresh: ImportModel | null = null;
      // Through the runner for its Idempotency-Key: a repeated upload answers the first import.
      const accepted = await mutate<ImportAccepted>(actor, idem, async (tx) => {
        fresh = await Import.create(
          { tenantId: actor.tenantId, teamId, createdBy: actor.userId, fileName: file.fileName, total: sheet.rows.length },
          { transaction: tx },
        );
        return { result: { import: { id: fresh.id, status: 'checking', total: fresh.total } }, fact: null };
      });
      const created = fresh as ImportModel | null;
      if (created && created.id === accepted.import.id) {
        const job = check({ id: created.id, tenantId: actor.tenantId, teamId, createdBy: actor.userId }, sheet.rows)
          .catch(async (err: unknown) => {
            logger?.error({ err, importId: created.id }, 'import check failed');
            await fail(created).catch(() => undefined);
          })
          .finally(() => running.delete(job));
        running.add(job);
      }
      return accepted;
    },

    async get(actor: Actor, id: number): Promise<ImportResponse> {
      return { import: (await loadFor(actor, id)).toDto() };
    },

    /**
     * Every row it may write, or none, in one transaction with one `customers:imported` envelope.
     * An import is applied once: asking again answers what the first apply did.
     */
    async apply(actor: Actor, id: number, input: ImportApplyRequest, idem?: IdempotencyRef): Promise<ImportResponse> {
      await loadFor(actor, id);
      return mutate(actor, idem, async (tx) => {
        const imp = (await Import.findByPk(id, { transaction: tx, lock: tx.LOCK.UPDATE }))!;
        if (imp.createdBy !== actor.userId) throw forbidden('Only the person who uploaded this file can apply it');
        if (imp.status === 'applied') return { result: { import: imp.toDto() }, fact: null };
        if (imp.status === 'checking') throw new AppError('conflict', 'The file is still being checked; apply it once the report is ready');
        if (imp.status === 'failed') throw new AppError('conflict', 'Checking this file failed; upload it again');
        await db.sequelize.query('SELECT pg_advisory_xact_lock($1, $2)', {
          bind: [DUPLICATE_LOCK, imp.tenantId],
          type: QueryTypes.SELECT,
          transaction: tx,
        });
        const rows = await db.sequelize.query<StoredRow>(
          `SELECT row_number, kind, data, phone_key, target_customer_id, target_row, conflict
           FROM import_rows WHERE import_id = $1 ORDER BY row_number`,
          { bind: [id], type: QueryTypes.SELECT, transaction: tx },
        );
        const toPool = input.toPool === true;
        const written = await writeImport(
          db,
          tx,
          {
            tenantId: imp.tenantId,
            teamId: imp.teamId,
            // As a single create: an admin is no team's member, so their customers start in the pool.
            ownerId: toPool || actor.role === 'admin' ? null : actor.userId,
            choice: input.duplicates,
          },
          rows,
        );
        const applied: ImportApplied = { duplicates: input.duplicates, toPool, ...written, at: new Date().toISOString() };
        await imp.update({ status: 'applied', applied }, { transaction: tx });
        await db.models.ImportRow.destroy({ where: { importId: id }, transaction: tx });
        const count = written.created + written.merged;
        return {
          result: { import: imp.toDto() },
          fact: count > 0 ? { teamId: imp.teamId, type: 'customers:imported', data: { importId: imp.id, count } } : null,
        };
      });
    },

    /** Waits for the checks this node is running (a draining node finishes them). */
    async drain(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
