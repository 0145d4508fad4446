import { QueryTypes, type Transaction } from 'sequelize';
import { phoneKey, type Database, type ImportRowData } from '@live-crm/models';
import type { CustomerStatus, ImportDuplicatesChoice } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';

/** A stored row, as apply reads it back. */
export interface StoredRow {
  row_number: number;
  kind: 'valid' | 'duplicate';
  data: ImportRowData;
  phone_key: string | null;
  target_customer_id: number | null;
  target_row: number | null;
  conflict: boolean;
}

/** A customer of the tenant a row may land on, as it stands inside the apply's transaction. */
export interface Existing {
  id: number;
  team_id: number;
  name: string;
  company: string | null;
  phone: string | null;
  phone_key: string | null;
  email: string | null;
  status: CustomerStatus;
  address: string | null;
}

type Values = Omit<ImportRowData, 'status'> & { status: CustomerStatus | null };

export interface ApplyPlan {
  inserts: Values[];
  updates: Array<Values & { id: number }>;
  skipped: number;
}

/**
 * A later row over what is already there: name, company, status and address take the row's
 * non-blank values; phone and e-mail (what rows are matched on) are only filled in where blank, and
 * not at all from a row whose phone and e-mail point at two different records.
 */
function fold(base: Values, row: StoredRow): Values {
  const d = row.data;
  return {
    name: d.name || base.name,
    company: d.company ?? base.company,
    status: d.status ?? base.status,
    address: d.address ?? base.address,
    phone: base.phone ?? (row.conflict ? null : d.phone),
    email: base.email ?? (row.conflict ? null : d.email),
  };
}

const changed = (a: Values, b: Values): boolean => (Object.keys(a) as Array<keyof Values>).some((k) => a[k] !== b[k]);

/**
 * What the apply writes. Customers created since the check count as duplicates now, so two imports
 * or a teammate's new customer never make one person twice. Another team's customer is never touched.
 */
export function planApply(rows: StoredRow[], existing: Existing[], teamId: number, choice: ImportDuplicatesChoice): ApplyPlan {
  const byId = new Map(existing.map((c) => [c.id, c]));
  const byPhone = new Map<string, Existing>();
  const byEmail = new Map<string, Existing>();
  for (const c of existing) {
    if (c.phone_key && !byPhone.has(c.phone_key)) byPhone.set(c.phone_key, c);
    if (c.email && !byEmail.has(c.email)) byEmail.set(c.email, c);
  }
  /** Where each row lands: a new customer (its own row number) or an existing customer. */
  const landing = new Map<number, { row: number } | { customer: Existing } | null>();
  const inserts = new Map<number, Values>();
  const updates = new Map<number, { before: Values; after: Values }>();
  let skipped = 0;

  for (const r of rows) {
    let to: { row: number } | { customer: Existing } | null;
    if (r.kind === 'valid') {
      const now = (r.phone_key ? byPhone.get(r.phone_key) : undefined) ?? (r.data.email ? byEmail.get(r.data.email) : undefined);
      to = now ? { customer: now } : { row: r.row_number };
    } else if (r.target_customer_id !== null) {
      const c = byId.get(r.target_customer_id);
      to = c ? { customer: c } : null;
    } else {
      to = landing.get(r.target_row ?? -1) ?? null;
    }
    landing.set(r.row_number, to);

    if (to && 'row' in to && to.row === r.row_number) {
      inserts.set(r.row_number, { ...r.data });
      continue;
    }
    if (choice === 'skip' || !to || ('customer' in to && to.customer.team_id !== teamId)) {
      skipped += 1;
      continue;
    }
    if ('row' in to) {
      const base = inserts.get(to.row);
      if (base) inserts.set(to.row, fold(base, r));
      else skipped += 1;
      continue;
    }
    const c = to.customer;
    const entry = updates.get(c.id) ?? { before: valuesOf(c), after: valuesOf(c) };
    entry.after = fold(entry.after, r);
    updates.set(c.id, entry);
  }
  const real = [...updates].filter(([, u]) => changed(u.before, u.after));
  const touched = new Set(real.map(([id]) => id));
  // Duplicate rows whose customer already reads as the sheet says are left as they are.
  const unchangedRows = rows.filter((r) => {
    const to = landing.get(r.row_number);
    return choice === 'merge' && to && 'customer' in to && updates.has(to.customer.id) && !touched.has(to.customer.id);
  }).length;
  return {
    inserts: [...inserts.values()],
    updates: real.map(([id, u]) => ({ id, ...u.after })),
    skipped: skipped + unchangedRows,
  };
}

function valuesOf(c: Existing): Values {
  return { name: c.name, company: c.company, phone: c.phone, email: c.email, status: c.status, address: c.address };
}

const EXISTING = `
SELECT id, team_id, name, company, phone, phone_key, email, status, address FROM customers
WHERE tenant_id = $1 AND (id IN (SELECT jsonb_array_elements_text($2::jsonb)::int)
   OR phone_key IN (SELECT jsonb_array_elements_text($3::jsonb))
   OR email IN (SELECT jsonb_array_elements_text($4::jsonb)))
ORDER BY id`;

// created_at is the clock at insert, in row order. The team's row is only locked for the event at the
// end (not across the insert), so a 10,000-row import does not hold up the team's other writes.
const INSERT = `
INSERT INTO customers (tenant_id, team_id, name, company, phone, phone_key, email, status, owner_id, address, version, created_at, updated_at)
SELECT $1, $2, r.name, r.company, r.phone, r.phone_key, r.email, COALESCE(r.status, 'lead'), $3, r.address, 1, clock_timestamp(), clock_timestamp()
FROM jsonb_to_recordset($4::jsonb) AS r(ord int, name text, company text, phone text, phone_key text, email text, status text, address text)
ORDER BY r.ord`;

const UPDATE = `
UPDATE customers c SET name = u.name, company = u.company, phone = u.phone, phone_key = u.phone_key, email = u.email,
  status = u.status, address = u.address, version = c.version + 1, updated_at = clock_timestamp()
FROM jsonb_to_recordset($3::jsonb) AS u(id int, name text, company text, phone text, phone_key text, email text, status text, address text)
WHERE c.id = u.id AND c.tenant_id = $1 AND c.team_id = $2`;

/** Reads the rows' possible landings and writes the plan: one insert and one update statement. */
export async function writeImport(
  db: Database,
  tx: Transaction,
  scope: { tenantId: number; teamId: number; ownerId: number | null; choice: ImportDuplicatesChoice },
  rows: StoredRow[],
): Promise<{ created: number; merged: number; skipped: number }> {
  const { sequelize } = db;
  const ids = [...new Set(rows.map((r) => r.target_customer_id).filter((id): id is number => id !== null))];
  const keys = [...new Set(rows.map((r) => r.phone_key).filter((k): k is string => k !== null))];
  const emails = [...new Set(rows.map((r) => r.data.email).filter((e): e is string => e !== null))];
  const existing = await sequelize.query<Existing>(EXISTING, {
    bind: [scope.tenantId, JSON.stringify(ids), JSON.stringify(keys), JSON.stringify(emails)],
    type: QueryTypes.SELECT,
    transaction: tx,
  });
  const plan = planApply(rows, existing, scope.teamId, scope.choice);
  const withKey = (v: Values) => ({ ...v, phone_key: phoneKey(v.phone) });
  if (plan.inserts.length > 0) {
    const [, count] = await sequelize.query(INSERT, {
      bind: [scope.tenantId, scope.teamId, scope.ownerId, JSON.stringify(plan.inserts.map((v, ord) => ({ ord, ...withKey(v) })))],
      type: QueryTypes.INSERT,
      transaction: tx,
    });
    if (count !== plan.inserts.length) throw new AppError('internal', `inserted ${count} of ${plan.inserts.length} customers`);
  }
  if (plan.updates.length > 0) {
    await sequelize.query(UPDATE, {
      bind: [scope.tenantId, scope.teamId, JSON.stringify(plan.updates.map(withKey))],
      type: QueryTypes.UPDATE,
      transaction: tx,
    });
  }
  return { created: plan.inserts.length, merged: plan.updates.length, skipped: plan.skipped };
}
