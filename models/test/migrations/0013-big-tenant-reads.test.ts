import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db.js';
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

/** `actor type day count`, non-zero rows only, as the kept counts say and as counting every activity says. */
const kept = async () =>
  (
    await select<{ l: string }>(
      `SELECT concat_ws(' ', actor_id, type, day, count) AS l FROM activity_days WHERE count <> 0 ORDER BY actor_id, type, day`,
    )
  ).map((r) => r.l);
const counted = async () =>
  (
    await select<{ l: string }>(
      `SELECT concat_ws(' ', actor_id, type, day, count(*)) AS l FROM (
         SELECT a.actor_id, a.type, (a.occurred_at AT TIME ZONE t.time_zone)::date AS day
           FROM activities a JOIN tenants t ON t.id = a.tenant_id WHERE a.type <> 'stage-change') x
        GROUP BY actor_id, type, day ORDER BY actor_id, type, day`,
    )
  ).map((r) => r.l);

const log = (rows: Array<[actor: number, type: string, at: string]>) =>
  db.sequelize.query(
    `INSERT INTO activities (tenant_id, team_id, customer_id, actor_id, type, content, occurred_at, created_at)
     SELECT 1, 1, 1, r.actor, r.type, '', r.at, now() FROM json_to_recordset(CAST(:rows AS json)) AS r(actor int, type text, at timestamptz)`,
    { replacements: { rows: JSON.stringify(rows.map(([actor, type, at]) => ({ actor, type, at }))) } },
  );

describe('migration 0013-big-tenant-reads', () => {
  it('counts what existed, then every insert, update and delete, per local day, leaving stage changes out', async () => {
    const migrator = createMigrator(db.sequelize);
    await migrator.up({ to: '0012-daily-record' });
    await db.sequelize.query(`
      INSERT INTO tenants (id, name, time_zone, created_at, updated_at) VALUES (1, '示范贸易有限公司', 'Asia/Shanghai', now(), now());
      INSERT INTO teams (id, tenant_id, name, created_at, updated_at) VALUES (1, 1, '华东组', now(), now());
      INSERT INTO users (id, tenant_id, team_id, login, name, role, created_at, updated_at) VALUES
        (1, 1, 1, 'ray', '雷', 'rep', now(), now()), (2, 1, 1, 'rita', '丽', 'rep', now(), now());
      INSERT INTO customers (id, tenant_id, team_id, name, created_at, updated_at) VALUES (1, 1, 1, '李娜', now(), now());`);
    // 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is the next local day.
    await log([
      [1, 'call', '2026-03-01T15:59:00Z'],
      [1, 'call', '2026-03-01T16:00:00Z'],
      [1, 'stage-change', '2026-03-01T10:00:00Z'],
    ]);

    await migrator.up();
    expect(await kept()).toEqual(['1 call 2026-03-01 1', '1 call 2026-03-02 1']);

    await log([
      [1, 'call', '2026-03-02T01:00:00Z'],
      [2, 'visit', '2026-03-02T02:00:00Z'],
      [2, 'visit', '2026-03-02T03:00:00Z'],
      [2, 'stage-change', '2026-03-02T03:00:00Z'],
    ]);
    expect(await kept()).toEqual(['1 call 2026-03-01 1', '1 call 2026-03-02 2', '2 visit 2026-03-02 2']);

    await db.sequelize.query(`UPDATE activities SET occurred_at = '2026-03-05T02:00:00Z' WHERE actor_id = 2 AND type = 'visit'`);
    await db.sequelize.query(`DELETE FROM activities WHERE occurred_at = '2026-03-01T15:59:00Z'`);
    expect(await kept()).toEqual(['1 call 2026-03-02 2', '2 visit 2026-03-05 2']);
    expect(await kept()).toEqual(await counted());

    // A tenant that moves to another time zone has its days counted again in it.
    await db.sequelize.query(`UPDATE tenants SET time_zone = 'UTC' WHERE id = 1`);
    expect(await kept()).toEqual(['1 call 2026-03-01 1', '1 call 2026-03-02 1', '2 visit 2026-03-05 2']);
    expect(await kept()).toEqual(await counted());
  });

  it("counts a tenant without a zone of its own in the server's TZ_DEFAULT, which the session carries", async () => {
    const honolulu = createDatabase({ url: tdb.url, poolMax: 1, defaultTimeZone: 'Pacific/Honolulu' });
    try {
      await db.sequelize.query(`UPDATE tenants SET time_zone = '' WHERE id = 1`);
      // 2026-03-02 08:00 UTC is still 1 March in Honolulu (UTC-10).
      await honolulu.sequelize.query(
        `INSERT INTO activities (tenant_id, team_id, customer_id, actor_id, type, content, occurred_at, created_at)
         VALUES (1, 1, 1, 1, 'meeting', '', '2026-03-02T08:00:00Z', now())`,
      );
      const [row] = await select<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM activity_days WHERE type = 'meeting'`);
      expect(row!.day).toBe('2026-03-01');
    } finally {
      await honolulu.close();
    }
  });

  it('indexes the two-character pieces of the search text, so a two-character keyword has an index to use, and samples the text finely', async () => {
    expect((await select<{ b: string[] }>(`SELECT customer_bigrams('李娜ab') AS b`))[0]!.b.sort()).toEqual(['ab', '娜a', '李娜'].sort());
    expect((await select<{ b: string[] }>(`SELECT customer_bigrams('李') AS b`))[0]!.b).toEqual([]);
    const plan = await db.sequelize.transaction(async (transaction) => {
      await db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
      const rows = await db.sequelize.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM customers c WHERE customer_bigrams(c.search_text) @> ARRAY[lower('李娜')]`,
        { transaction, type: QueryTypes.SELECT },
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('customers_search_bigrams');
    const [target] = await select<{ t: number }>(
      `SELECT attstattarget AS t FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'search_text'`,
    );
    expect(target!.t).toBe(1000);
  });
});
