import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';

/** Row count and a content hash per table: any insert, update or delete changes it. */
export type Fingerprint = Record<string, { rows: number; hash: string }>;

/** Every application table of the database (the migrations' bookkeeping aside), as it is now. */
export async function fingerprint(db: Database): Promise<Fingerprint> {
  const { sequelize } = db;
  const tables = await sequelize.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
    { type: QueryTypes.SELECT },
  );
  const qi = sequelize.getQueryInterface();
  const out: Fingerprint = {};
  for (const { name } of tables) {
    // Table names come from the catalog, not from a request; values would be replacements.
    const [row] = await sequelize.query<{ rows: number; hash: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS hash
         FROM ${qi.quoteIdentifier(name)} t`,
      { type: QueryTypes.SELECT },
    );
    out[name] = row!;
  }
  return out;
}

export async function teamEventCount(db: Database): Promise<number> {
  const [row] = await db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM team_events', { type: QueryTypes.SELECT });
  return row!.n;
}

/** Tables whose rows changed between two fingerprints (empty when nothing was written). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n]?.hash !== after[n]?.hash || before[n]?.rows !== after[n]?.rows).sort();
}
