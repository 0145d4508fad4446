import type { Database } from '../../src/db.js';
import { MIGRATIONS_TABLE } from '../../src/migrator.js';
import { select } from './throwaway-db.js';

/**
 * Everything a migration can create, one sorted line per object: columns with type, nullability,
 * default and generated expression; indexes, constraints, enum types, sequences, extensions, and the
 * functions and triggers the migrations create (not those an extension brings).
 * The migrations' own bookkeeping table is left out.
 */
export async function schemaShape(db: Database): Promise<string[]> {
  const lines = await Promise.all([
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'column', table_name, column_name, data_type, character_maximum_length,
        is_nullable, column_default, generation_expression) AS l
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> :skip`,
      { skip: MIGRATIONS_TABLE },
    ),
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'index', indexdef) AS l FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> :skip`,
      { skip: MIGRATIONS_TABLE },
    ),
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'constraint', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS l
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> :skip`,
      { skip: MIGRATIONS_TABLE },
    ),
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'type', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS l
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    ),
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'sequence', sequence_name) AS l FROM information_schema.sequences
      WHERE sequence_schema = 'public'`,
    ),
    select<{ l: string }>(db, `SELECT concat_ws(' ', 'extension', extname) AS l FROM pg_extension WHERE extname <> 'plpgsql'`),
    select<{ l: string }>(
      db,
      `SELECT concat_ws(' ', 'function', p.oid::regprocedure) AS l FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    ),
    select<{ l: string }>(db, `SELECT concat_ws(' ', 'trigger', pg_get_triggerdef(oid)) AS l FROM pg_trigger WHERE NOT tgisinternal`),
  ]);
  return lines
    .flat()
    .map((r) => r.l)
    .sort();
}
