import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import * as core from './migrations/0001-core.js';
import * as subscriptionConsents from './migrations/0002-subscription-consents.js';
import * as analyticsIndexes from './migrations/0005-analytics-indexes.js';
import * as customerSearch from './migrations/0003-customer-search.js';
import * as customerPhoneKey from './migrations/0006-customer-phone-key.js';
import * as userActive from './migrations/0007-user-active.js';
import * as textKeys from './migrations/0008-text-keys.js';

type Migration = { up: (p: { context: QueryInterface }) => Promise<void>; down: (p: { context: QueryInterface }) => Promise<void> };

/** Ordered list; a new schema change appends its module here. */
const MIGRATIONS: Array<[string, Migration]> = [
  ['0001-core', core],
  ['0002-subscription-consents', subscriptionConsents],
  ['0005-analytics-indexes', analyticsIndexes],
  ['0003-customer-search', customerSearch],
  ['0006-customer-phone-key', customerPhoneKey],
  ['0007-user-active', userActive],
  ['0008-text-keys', textKeys],
];

export function createMigrator(sequelize: Sequelize, logger: Console | undefined = undefined): Umzug<QueryInterface> {
  return new Umzug({
    migrations: MIGRATIONS.map(([name, m]) => ({ name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger,
  });
}
