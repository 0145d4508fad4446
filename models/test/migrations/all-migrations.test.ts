import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, MIGRATION_NAMES, MIGRATIONS_TABLE } from '../../src/migrator.js';
import { schemaShape } from '../support/schema-shape.js';
import { createThrowawayDb, select, type ThrowawayDb } from '../support/throwaway-db.js';

let tdb: ThrowawayDb;
beforeAll(async () => {
  tdb = await createThrowawayDb();
});
afterAll(() => tdb?.drop());

const recorded = async () =>
  (await select<{ name: string }>(tdb.db, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`)).map((r) => r.name);

describe('every migration', () => {
  it('goes up one by one, comes down to zero restoring each earlier schema exactly, and goes up again', async () => {
    const migrator = createMigrator(tdb.db.sequelize);
    const shapes = [await schemaShape(tdb.db)];
    expect(shapes[0]).toEqual([]);
    for (const name of MIGRATION_NAMES) {
      expect((await migrator.up({ step: 1 })).map((m) => m.name)).toEqual([name]);
      shapes.push(await schemaShape(tdb.db));
    }
    const full = shapes[shapes.length - 1]!;
    expect(full.some((l) => l.startsWith('column users active'))).toBe(true);

    for (let i = MIGRATION_NAMES.length - 1; i >= 0; i--) {
      expect((await migrator.down()).map((m) => m.name)).toEqual([MIGRATION_NAMES[i]]);
      expect(await schemaShape(tdb.db), `schema after reverting ${MIGRATION_NAMES[i]}`).toEqual(shapes[i]);
    }
    expect(await recorded()).toEqual([]);

    expect((await migrator.up()).map((m) => m.name)).toEqual(MIGRATION_NAMES);
    expect(await schemaShape(tdb.db)).toEqual(full);
    expect(await recorded()).toEqual(MIGRATION_NAMES);
  });

  it('runs nothing twice on a database that recorded the names used before the renumbering', async () => {
    const migrator = createMigrator(tdb.db.sequelize);
    await migrator.up();
    // As production recorded them: analytics indexes under 0005, customer search under 0003.
    await tdb.db.sequelize.query(`UPDATE ${MIGRATIONS_TABLE} SET name = CASE name
      WHEN '0003-analytics-indexes' THEN '0005-analytics-indexes'
      WHEN '0004-customer-search' THEN '0003-customer-search' ELSE name END`);

    expect(await createMigrator(tdb.db.sequelize).up()).toEqual([]);
    expect(await recorded()).toEqual(MIGRATION_NAMES);
  });
});
