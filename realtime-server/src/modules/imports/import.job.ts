import { setImmediate as nextTurn } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { ImportDuplicate, ImportField, ImportRowError } from '@live-crm/shared-types';
import type { EventBus } from '../../core/event-bus.js';
import { checkRow, createDuplicateIndex, type CheckedRow, type Match } from './import.check.js';
import { IMPORT_FIELDS } from './import.columns.js';
import type { SheetRow } from './import.reader.js';

export interface CheckTarget {
  id: number;
  tenantId: number;
  teamId: number;
  createdBy: number;
}

interface TenantHit {
  id: number;
  team_id: number;
  name: string;
  phone_key: string | null;
  email: string | null;
}

const TENANT_MATCHES = `
SELECT id, team_id, name, phone_key, email FROM customers
WHERE tenant_id = $1 AND (phone_key IN (SELECT jsonb_array_elements_text($2::jsonb))
   OR email IN (SELECT jsonb_array_elements_text($3::jsonb)))
ORDER BY id`;

const INSERT_ROWS = `
INSERT INTO import_rows (import_id, row_number, kind, data, phone_key, target_customer_id, target_row, other_team, conflict)
SELECT $1, r.row_number, r.kind, r.data, r.phone_key, r.target_customer_id, r.target_row, r.other_team, r.conflict
FROM jsonb_to_recordset($2::jsonb) AS r(row_number int, kind text, data jsonb, phone_key text, target_customer_id int,
  target_row int, other_team boolean, conflict boolean)`;

const fieldOrder = (f: ImportField): number => IMPORT_FIELDS.indexOf(f);

/**
 * Checks every row of an accepted upload, a slice at a time: each slice's tenant duplicates in one
 * query, its writable rows in one insert, then `import:progress` to the uploader and a turn of the
 * event loop for everyone else. Ends with the report (`ready`) or `failed`.
 */
export function createCheckJob({ db, bus, sliceSize }: { db: Database; bus: EventBus; sliceSize: number }) {
  const { sequelize } = db;
  const { Import } = db.models;

  async function tenantMatches(tenantId: number, rows: CheckedRow[]) {
    const keys = [...new Set(rows.map((r) => r.phoneKey).filter((k): k is string => k !== null))];
    const emails = [...new Set(rows.map((r) => r.data.email).filter((e): e is string => e !== null))];
    const byPhone = new Map<string, Match>();
    const byEmail = new Map<string, Match>();
    if (keys.length === 0 && emails.length === 0) return { byPhone, byEmail };
    const hits = await sequelize.query<TenantHit>(TENANT_MATCHES, {
      bind: [tenantId, JSON.stringify(keys), JSON.stringify(emails)],
      type: QueryTypes.SELECT,
    });
    for (const h of hits) {
      const match: Match = { customerId: h.id, teamId: h.team_id, name: h.name };
      if (h.phone_key && !byPhone.has(h.phone_key)) byPhone.set(h.phone_key, match);
      if (h.email && !byEmail.has(h.email)) byEmail.set(h.email, match);
    }
    return { byPhone, byEmail };
  }

  return async function check(target: CheckTarget, rows: SheetRow[]): Promise<void> {
    const total = rows.length;
    const index = createDuplicateIndex(target.teamId);
    const errors: ImportRowError[] = [];
    const duplicateRows: ImportDuplicate[] = [];
    const counts = { valid: 0, duplicates: 0, invalid: 0 };
    const tell = (processed: number, status: 'checking' | 'ready') =>
      bus.progress({ userId: target.createdBy, progress: { id: target.id, processed, total, status } });

    for (let start = 0; start < total; start += sliceSize) {
      const slice = rows.slice(start, start + sliceSize);
      const checked: CheckedRow[] = [];
      for (const row of slice) {
        const result = checkRow(row);
        if ('ok' in result) checked.push(result.ok);
        else {
          counts.invalid += 1;
          errors.push(...result.errors.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field)));
        }
      }
      const tenant = await tenantMatches(target.tenantId, checked);
      const stored = checked.map((r) => {
        const c = index.classify(r, tenant);
        if (c.finding) duplicateRows.push(c.finding);
        counts[c.kind === 'valid' ? 'valid' : 'duplicates'] += 1;
        const t = c.target;
        return {
          row_number: r.row,
          kind: c.kind,
          data: r.data,
          phone_key: r.phoneKey,
          target_customer_id: t && 'customerId' in t ? t.customerId : null,
          target_row: t && 'row' in t ? t.row : null,
          other_team: !!(t && 'customerId' in t && t.teamId !== target.teamId),
          conflict: c.conflict,
        };
      });
      if (stored.length > 0) await sequelize.query(INSERT_ROWS, { bind: [target.id, JSON.stringify(stored)] });
      const processed = start + slice.length;
      await Import.update({ processed, ...counts }, { where: { id: target.id } });
      if (processed < total) {
        tell(processed, 'checking');
        await nextTurn();
      }
    }
    await Import.update({ status: 'ready', processed: total, ...counts, errors, duplicateRows }, { where: { id: target.id } });
    tell(total, 'ready');
  };
}

export type CheckJob = ReturnType<typeof createCheckJob>;
