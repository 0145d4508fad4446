import type { QueryInterface } from 'sequelize';

/**
 * Customer list. Keyword search runs `search_text LIKE lower('%kw%')` on one stored, lower-cased
 * column (name, company, email, phone joined by a unit separator nobody types), backed by one
 * trigram GIN index: one index scan and one cheap LIKE per candidate, where four ILIKEs over four
 * indexes made the planner fall back to a sequential scan (see bench/customers-list.ts). Each list
 * order has a btree ending with the id tie-breaker; `createdAt` uses 0001's (team_id, created_at, id).
 */
const STATEMENTS: Array<[up: string, down: string]> = [
  ['CREATE EXTENSION IF NOT EXISTS pg_trgm', 'DROP EXTENSION IF EXISTS pg_trgm'],
  [
    `ALTER TABLE customers ADD COLUMN search_text text GENERATED ALWAYS AS (lower(
       coalesce(name, '') || chr(31) || coalesce(company, '') || chr(31) || coalesce(email, '') || chr(31) || coalesce(phone, '')
     )) STORED`,
    'ALTER TABLE customers DROP COLUMN search_text',
  ],
  ['CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)', 'DROP INDEX customers_search_trgm'],
  [
    'CREATE INDEX customers_team_last_contact ON customers (team_id, last_contact_at DESC NULLS LAST, id)',
    'DROP INDEX customers_team_last_contact',
  ],
  ['CREATE INDEX customers_team_name ON customers (team_id, name, id)', 'DROP INDEX customers_team_name'],
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [sql] of STATEMENTS) await qi.sequelize.query(sql);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [, sql] of [...STATEMENTS].reverse()) await qi.sequelize.query(sql);
}
