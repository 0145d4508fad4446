import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import * as core from './migrations/0001-core.js';
import * as subscriptionConsents from './migrations/0002-subscription-consents.js';
import * as analyticsIndexes from './migrations/0003-analytics-indexes.js';
import * as customerSearch from './migrations/0004-customer-search.js';
import * as customerPhoneKey from './migrations/0006-customer-phone-key.js';
import * as userActive from './migrations/0007-user-active.js';
import * as textKeys from './migrations/0008-text-keys.js';
import * as invitations from './migrations/0009-invitations.js';
import * as imports from './migrations/0010-imports.js';
import * as ownership from './migrations/0011-ownership.js';
import * as dailyRecord from './migrations/0012-daily-record.js';
import * as bigTenantReads from './migrations/0013-big-tenant-reads.js';
import * as recycleWarnings from './migrations/0014-recycle-warnings.js';

type Migration = { up: (p: { context: QueryInterface }) => Promise<void>; down: (p: { context: QueryInterface }) => Promise<void> };

/**
 * Run order is file-name order: a new migration takes the next free number and is appended here
 * (test/migrations/migrator-order.test.ts checks this list against the folder).
 */
const MIGRATIONS: Array<[string, Migration]> = [
  ['0001-core', core],
  ['0002-subscription-consents', subscriptionConsents],
  ['0003-analytics-indexes', analyticsIndexes],
  ['0004-customer-search', customerSearch],
  ['0006-customer-phone-key', customerPhoneKey],
  ['0007-user-active', userActive],
  ['0008-text-keys', textKeys],
  ['0009-invitations', invitations],
  ['0010-imports', imports],
  ['0011-ownership', ownership],
  ['0012-daily-record', dailyRecord],
  ['0013-big-tenant-reads', bigTenantReads],
  ['0014-recycle-warnings', recycleWarnings],
];

export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

/** The table where umzug records each applied migration by name (column `name`). */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Names recorded before the files were renumbered to sort in their run order (analytics indexes
 * had always run before customer search). Rewritten in place so an existing database never runs
 * them twice; the rename is idempotent and can go once every database has migrated past 0007.
 */
export const RENAMED_MIGRATIONS: Readonly<Record<string, string>> = {
  '0005-analytics-indexes': '0003-analytics-indexes',
  '0003-customer-search': '0004-customer-search',
};

async function renameRecorded(sequelize: Sequelize): Promise<void> {
  const [table] = await sequelize.query<{ exists: boolean }>(`SELECT to_regclass('${MIGRATIONS_TABLE}') IS NOT NULL AS "exists"`, {
    type: QueryTypes.SELECT,
  });
  if (!table?.exists) return;
  // One statement: no new name equals an old one, so the unique key holds row by row.
  await sequelize.query(`UPDATE ${MIGRATIONS_TABLE} SET name = CAST(:renames AS jsonb) ->> name WHERE name IN (:old)`, {
    replacements: { renames: JSON.stringify(RENAMED_MIGRATIONS), old: Object.keys(RENAMED_MIGRATIONS) },
  });
}

export function createMigrator(sequelize: Sequelize, logger: Console | undefined = undefined): Umzug<QueryInterface> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map(([name, m]) => ({ name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATIONS_TABLE }),
    logger,
  });
  umzug.on('beforeCommand', () => renameRecorded(sequelize));
  return umzug;
}
