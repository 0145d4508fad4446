import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { ExportResponse, ExportType } from '@live-crm/shared-types';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';
import { parse } from '../../core/validate.js';
import { resolveScope, teamsOf, type Scope } from '../analytics/analytics.scope.js';
import { labelOf, textOf } from './export.labels.js';
import { paced, zipInputOf } from './export.pace.js';
import { FILTERS } from './export.schemas.js';
import { SHEETS, type SheetSpec } from './export.sheets.js';
import { maskEmail, maskPhone, type VisibilityRules } from '../ownership/visibility.js';
import type { ExportClaims, ExportFilters, ExportLocale, ExportSigner } from './export.signer.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Excel's limit is 1,048,576 rows a sheet, header included; beyond it the export goes on in a new sheet. */
const MAX_ROWS_PER_SHEET = 1_048_575;
/** Rows written between two turns of the event loop (1000 rows held it 200-800 ms on a busy machine). */
const ROWS_PER_SLICE = 20;

export interface ExportServiceDeps {
  db: Database;
  signer: ExportSigner;
  /** The user a link was signed for, as they stand now (a removed user's links stop working). */
  actorFor: (userId: number) => Promise<Actor | null>;
  visibility: VisibilityRules;
  /** TZ_DEFAULT: the zone of a tenant whose own is blank. */
  defaultTimeZone: string;
  /** Rows per keyset query; only this many sit in memory at once. */
  batchSize?: number;
}

export interface ExportRequestInput {
  type: ExportType;
  filters: ExportFilters;
  locale: ExportLocale;
}

/** An export ready to stream: the link checked, the scope resolved and the first page read. */
export interface ExportFile {
  filename: string;
  contentType: string;
  write(out: Writable): Promise<number>;
}

type Row = Record<string, unknown> & { id: number };

/** Whose rows a sheet holds: a rep in `owner` visibility (`mine`) their own and the pool, with the pool's contacts masked. */
interface Reader {
  mine: number | null;
  rep: boolean;
}

export function createExportService({ db, signer, actorFor, visibility, defaultTimeZone, batchSize = 1000 }: ExportServiceDeps) {
  async function page(spec: SheetSpec, scope: Scope, filters: ExportFilters, afterId: number, reader: Reader): Promise<Row[]> {
    const rows = await db.sequelize.query<Row>(spec.sql, {
      replacements: {
        tenantId: scope.tenantId,
        teamIds: scope.teamIds,
        tz: scope.timeZone,
        afterId,
        limit: batchSize,
        mine: reader.mine,
        ...spec.params(filters),
      },
      type: QueryTypes.SELECT,
    });
    // A pool customer (no owner) shows a rep its phone and e-mail masked, as the app does.
    if (!reader.rep || spec !== SHEETS.customers) return rows;
    return rows.map((r) =>
      r['owner'] == null ? { ...r, phone: maskPhone(r['phone'] as string | null), email: maskEmail(r['email'] as string | null) } : r,
    );
  }

  async function write(
    out: Writable,
    spec: SheetSpec,
    locale: ExportLocale,
    next: (afterId: number) => Promise<Row[]>,
    first: Row[],
  ): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const addSheet = (n: number) => {
      const sheet = workbook.addWorksheet(n === 1 ? spec.title[locale] : `${spec.title[locale]} ${n}`);
      sheet.columns = spec.columns.map((c) => ({
        header: c.header[locale],
        key: c.key,
        width: c.width,
        ...(c.kind === 'money' ? { style: { numFmt: '#,##0.00' } } : {}),
      }));
      sheet.getRow(1).font = { bold: true };
      return sheet;
    };
    let sheet = addSheet(1);
    let written = 0;
    for (let rows = first; rows.length > 0; rows = await next(rows[rows.length - 1]!.id)) {
      for (const row of rows) {
        if (written > 0 && written % MAX_ROWS_PER_SHEET === 0) {
          sheet.commit();
          sheet = addSheet(written / MAX_ROWS_PER_SHEET + 1);
        }
        sheet.addRow(spec.columns.map((c) => cell(c.kind, row[c.key], locale))).commit();
        written += 1;
        // Building rows is synchronous CPU: give other requests the event loop between slices.
        if (written % ROWS_PER_SLICE === 0) await nextTurn();
      }
      if (rows.length < batchSize) break;
      await paced(out, zipInputOf(sheet));
    }
    sheet.commit();
    await workbook.commit();
    return written;
  }

  return {
    /** Checks the scope now (a foreign team is a 404) and signs a link bound to user, tenant, type and filters. */
    async createLink(actor: Actor, input: ExportRequestInput, baseUrl: string): Promise<ExportResponse> {
      const teamId = input.filters['teamId'];
      teamsOf(actor, typeof teamId === 'number' ? teamId : undefined);
      const { token } = signer.sign({
        userId: actor.userId,
        tenantId: actor.tenantId,
        type: input.type,
        filters: input.filters,
        locale: input.locale,
      });
      return { success: true, downloadUrl: `${baseUrl}/api/crm/export/download?token=${encodeURIComponent(token)}` };
    },

    /** Verifies a link: 403 tampered, 410 expired; answers whom and what it was signed for. */
    verify(token: string): ExportClaims {
      return signer.verify(token);
    },

    /** Checks the link's user as they stand now and reads the first page before any byte is sent. */
    async open(claims: ExportClaims, now = new Date()): Promise<ExportFile> {
      const actor = await actorFor(claims.userId);
      if (!actor || actor.tenantId !== claims.tenantId) throw new AppError('forbidden', 'This download link is not valid');
      const spec = SHEETS[claims.type];
      if (!spec) throw new AppError('forbidden', 'This download link is not valid');
      const filters = parse(FILTERS[claims.type], claims.filters, 'filters') as ExportFilters;
      const scope = await resolveScope(db, actor, defaultTimeZone, typeof filters['teamId'] === 'number' ? filters['teamId'] : undefined);
      const reader: Reader = {
        mine: actor.role === 'rep' ? await visibility.scopeFor(actor, scope.teamIds[0]!) : null,
        rep: actor.role === 'rep',
      };
      const first = await page(spec, scope, filters, 0, reader);
      return {
        filename: `${claims.type}-${fileStamp(now, scope.timeZone)}.xlsx`,
        contentType: XLSX_CONTENT_TYPE,
        write: (out) => write(out, spec, claims.locale, (afterId) => page(spec, scope, filters, afterId, reader), first),
      };
    },
  };
}

function cell(kind: SheetSpec['columns'][number]['kind'], value: unknown, locale: ExportLocale): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'money') return Number(value) / 100;
  if (kind === 'label') return labelOf(locale, value);
  if (kind === 'text') return textOf(locale, value);
  return value;
}

/** e.g. 20250301-0930 in the tenant's time zone. */
function fileStamp(now: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}${parts['month']}${parts['day']}-${parts['hour']}${parts['minute']}`;
}

export type ExportService = ReturnType<typeof createExportService>;
