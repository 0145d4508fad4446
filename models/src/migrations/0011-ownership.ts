import type { QueryInterface } from 'sequelize';

/**
 * Ownership, the pool (公海) and targets (ARCHITECTURE 9.2, 9.4):
 * - team_settings: who sees what and the pool's rules; a team without a row has the defaults;
 * - customer_owner_log: every change of hands with its reason (and a release's note); the per-day
 *   claim limit counts its claims;
 * - customers.owned_since restarts the recycle clock on every change of hands, and
 *   recycle_warned_at marks the one warning sent before a recycle;
 * - team_events.owners: whose record an event is about (null: everyone's, e.g. the pool), so
 *   `owner` visibility can redact it for everyone else, live and on replay;
 * - targets: a rep's won-value target for a month.
 */
const STATEMENTS: Array<[up: string, down: string]> = [
  [
    `CREATE TABLE team_settings (
       team_id integer PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
       visibility varchar(8) NOT NULL DEFAULT 'team' CHECK (visibility IN ('team', 'owner')),
       recycle_after_days integer CHECK (recycle_after_days BETWEEN 1 AND 3650),
       claim_limit_per_day integer CHECK (claim_limit_per_day BETWEEN 0 AND 10000),
       hold_limit integer CHECK (hold_limit BETWEEN 0 AND 100000),
       version integer NOT NULL DEFAULT 1,
       updated_at timestamptz NOT NULL DEFAULT now())`,
    'DROP TABLE team_settings',
  ],
  [
    `CREATE TABLE customer_owner_log (
       id serial PRIMARY KEY,
       team_id integer NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
       customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
       actor_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       previous_owner_id integer REFERENCES users(id) ON DELETE SET NULL,
       owner_id integer REFERENCES users(id) ON DELETE SET NULL,
       reason varchar(16) NOT NULL CHECK (reason IN ('claim', 'release', 'recycle', 'reassign', 'handover')),
       note text,
       at timestamptz NOT NULL DEFAULT now())`,
    'DROP TABLE customer_owner_log',
  ],
  ["CREATE INDEX customer_owner_log_claims ON customer_owner_log (actor_id, at) WHERE reason = 'claim'", 'SELECT 1'],
  [
    `ALTER TABLE customers ADD COLUMN owned_since timestamptz, ADD COLUMN recycle_warned_at timestamptz`,
    'ALTER TABLE customers DROP COLUMN owned_since, DROP COLUMN recycle_warned_at',
  ],
  // Holdings per owner (hold limit, "mine") and the recycle scan per team.
  ['CREATE INDEX customers_team_owner ON customers (team_id, owner_id)', 'DROP INDEX customers_team_owner'],
  ['ALTER TABLE team_events ADD COLUMN owners integer[]', 'ALTER TABLE team_events DROP COLUMN owners'],
  [
    `CREATE TABLE targets (
       id serial PRIMARY KEY,
       team_id integer NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
       user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
       won_value_cents bigint NOT NULL CHECK (won_value_cents BETWEEN 0 AND 10000000000000),
       updated_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (user_id, month))`,
    'DROP TABLE targets',
  ],
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [sql] of STATEMENTS) await qi.sequelize.query(sql);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [, sql] of [...STATEMENTS].reverse()) await qi.sequelize.query(sql);
}
