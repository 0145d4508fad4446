import { QueryTypes, type QueryInterface } from 'sequelize';
import { phoneKey } from '../phone.js';

/**
 * `customers.phone_key`: the phone in E.164 (phone.ts), so `138 0013 8000`, `+86 138-0013-8000` and
 * `008613800138000` are one number to the duplicate check, while `phone` keeps what the user typed.
 * Search (0004's search_text) now reads the key and the typed digits instead of the raw phone.
 */
const SEARCH_INDEX = 'CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)';
const searchColumn = (phone: string) => `ALTER TABLE customers ADD COLUMN search_text text GENERATED ALWAYS AS (lower(
  coalesce(name, '') || chr(31) || coalesce(company, '') || chr(31) || coalesce(email, '') || chr(31) || ${phone}
)) STORED`;
const NEW_SEARCH = searchColumn(`coalesce(regexp_replace(phone, '[^0-9+]', '', 'g'), '') || chr(31) || coalesce(phone_key, '')`);
const OLD_SEARCH = searchColumn(`coalesce(phone, '')`);
const BATCH = 1000;

/** Every existing phone gets its key, a batch of rows per statement. */
async function backfill(qi: QueryInterface): Promise<void> {
  for (let after = 0; ;) {
    const rows = await qi.sequelize.query<{ id: number; phone: string }>(
      'SELECT id, phone FROM customers WHERE phone IS NOT NULL AND id > :after ORDER BY id LIMIT :limit',
      { replacements: { after, limit: BATCH }, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return;
    const keys = rows.map((r) => ({ id: r.id, key: phoneKey(r.phone) }));
    await qi.sequelize.query(
      `UPDATE customers c SET phone_key = u.key
       FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS u(id int, key text) WHERE c.id = u.id`,
      { replacements: { rows: JSON.stringify(keys) } },
    );
    after = rows[rows.length - 1]!.id;
  }
}

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const run = (sql: string) => qi.sequelize.query(sql);
  // Dropped first so the backfill does not recompute it row by row; its index goes with it.
  await run('ALTER TABLE customers DROP COLUMN search_text');
  await run('ALTER TABLE customers ADD COLUMN phone_key varchar(32)');
  await backfill(qi);
  await run('DROP INDEX IF EXISTS customers_tenant_id_phone');
  await run('CREATE INDEX customers_tenant_phone_key ON customers (tenant_id, phone_key)');
  await run(NEW_SEARCH);
  await run(SEARCH_INDEX);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const run = (sql: string) => qi.sequelize.query(sql);
  await run('ALTER TABLE customers DROP COLUMN search_text');
  await run('DROP INDEX customers_tenant_phone_key');
  await run('CREATE INDEX customers_tenant_id_phone ON customers (tenant_id, phone)');
  await run('ALTER TABLE customers DROP COLUMN phone_key');
  await run(OLD_SEARCH);
  await run(SEARCH_INDEX);
}
