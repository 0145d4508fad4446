import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db.js';
import { createMigrator } from '../../src/migrator.js';
import { createThrowawayDb, select as selectIn, type ThrowawayDb } from '../support/throwaway-db.js';

let tdb: ThrowawayDb;
let db: Database;
beforeAll(async () => {
  tdb = await createThrowawayDb();
  db = tdb.db;
});
afterAll(() => tdb?.drop());

const select = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => selectIn<T>(db, sql, replacements);
const indexes = async () =>
  (await select<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'customers'`)).map((r) => r.indexname);
const keysByName = async () =>
  Object.fromEntries(
    (await select<{ name: string; phone_key: string | null }>('SELECT name, phone_key FROM customers ORDER BY id')).map((r) => [
      r.name,
      r.phone_key,
    ]),
  );
const found = async (keyword: string) =>
  (await select<{ name: string }>('SELECT name FROM customers WHERE search_text LIKE :kw ORDER BY id', { kw: `%${keyword}%` })).map(
    (r) => r.name,
  );

describe('migration 0006-customer-phone-key', () => {
  it('backfills the key of every existing phone, keeps what was typed, and indexes it; down restores 0004', async () => {
    const migrator = createMigrator(db.sequelize);
    await migrator.up({ to: '0004-customer-search' });
    await db.sequelize.query(`
      INSERT INTO tenants (id, name, created_at, updated_at) VALUES (1, '示范贸易有限公司', now(), now());
      INSERT INTO teams (id, tenant_id, name, created_at, updated_at) VALUES (1, 1, '华东组', now(), now());
      INSERT INTO customers (tenant_id, team_id, name, phone, created_at, updated_at) VALUES
        (1, 1, 'bare', '13800138000', now(), now()),
        (1, 1, 'spaced', '138 0013 8000', now(), now()),
        (1, 1, 'prefixed', '008613800138000', now(), now()),
        (1, 1, 'landline', '(0571) 8888-1234', now(), now()),
        (1, 1, 'none', NULL, now(), now());`);

    await migrator.up();
    expect(await keysByName()).toEqual({
      bare: '+8613800138000',
      spaced: '+8613800138000',
      prefixed: '+8613800138000',
      landline: '+8657188881234',
      none: null,
    });
    expect((await select<{ phone: string }>(`SELECT phone FROM customers WHERE name = 'spaced'`))[0]!.phone).toBe('138 0013 8000');
    expect(await indexes()).toEqual(expect.arrayContaining(['customers_tenant_phone_key', 'customers_search_trgm']));
    expect(await indexes()).not.toContain('customers_tenant_id_phone');
    // Search reads the typed digits and the key: both spellings are found by either.
    expect(await found('13800138000')).toEqual(['bare', 'spaced', 'prefixed']);
    expect(await found('+86571')).toEqual(['landline']);

    // Down to and including this migration (later ones are reverted first).
    await migrator.down({ to: '0006-customer-phone-key' });
    const columns = (
      await select<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'customers'`)
    ).map((c) => c.column_name);
    expect(columns).not.toContain('phone_key');
    expect(columns).toContain('search_text');
    expect(await indexes()).toEqual(expect.arrayContaining(['customers_tenant_id_phone', 'customers_search_trgm']));
    expect(await found('138 0013')).toEqual(['spaced']);
    await migrator.up();
    expect((await keysByName())['spaced']).toBe('+8613800138000');
  });
});
