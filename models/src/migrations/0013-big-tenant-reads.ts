import type { QueryInterface } from 'sequelize';

/**
 * Reads that stay fast when one team holds a million customers and ten million activities
 * (issue 18, bench/results/*-data.md).
 *
 * `activity_days`: logged activities counted per team, actor, type and the tenant's local day. The
 * dashboard sums a few thousand of these rows instead of counting every activity of the period.
 * Triggers keep it exact for every writer (one statement-level upsert per INSERT statement, so a
 * bulk insert is one aggregate), and rebuild a tenant's rows if its time zone changes. Stage changes
 * are not counted: moves are analysed from the event log, and leaving them out keeps a busy board's
 * moves from queueing on one counter row.
 *
 * `customer_bigrams`: search is `search_text LIKE '%kw%'`. A trigram index cannot serve a
 * two-character keyword (李娜), which then read every row of the team; this GIN index over the text's
 * distinct two-character pieces can.
 */
const DAY_KEY = 'team_id, day, actor_id, type';
/** A blank tenant zone means the server's TZ_DEFAULT, which every server session sets (db.ts). */
const TENANT_ZONE = `coalesce(nullif(t.time_zone, ''), nullif(current_setting('livecrm.default_time_zone', true), ''), 'Asia/Shanghai')`;
const COUNT_ROWS = (rows: string, sign: string) => `
  INSERT INTO activity_days (tenant_id, team_id, actor_id, type, day, count)
  SELECT r.tenant_id, r.team_id, r.actor_id, r.type, (r.occurred_at AT TIME ZONE ${TENANT_ZONE})::date, ${sign}count(*)
    FROM ${rows} r JOIN tenants t ON t.id = r.tenant_id
   WHERE r.type <> 'stage-change'
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 2, 5, 3, 4
  ON CONFLICT (${DAY_KEY}) DO UPDATE SET count = activity_days.count + EXCLUDED.count`;

const STATEMENTS: Array<[up: string, down: string]> = [
  [
    `CREATE TABLE activity_days (
       tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
       team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
       actor_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       type varchar(16) NOT NULL,
       day date NOT NULL,
       count integer NOT NULL,
       PRIMARY KEY (${DAY_KEY})
     )`,
    'DROP TABLE activity_days',
  ],
  [
    `CREATE FUNCTION activity_days_count() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP IN ('UPDATE', 'DELETE') THEN ${COUNT_ROWS('old_rows', '-')}; END IF;
       IF TG_OP IN ('INSERT', 'UPDATE') THEN ${COUNT_ROWS('new_rows', '')}; END IF;
       RETURN NULL;
     END $$`,
    'DROP FUNCTION activity_days_count()',
  ],
  [
    `CREATE TRIGGER activity_days_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION activity_days_count()`,
    'DROP TRIGGER activity_days_insert ON activities',
  ],
  [
    `CREATE TRIGGER activity_days_update AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION activity_days_count()`,
    'DROP TRIGGER activity_days_update ON activities',
  ],
  [
    `CREATE TRIGGER activity_days_delete AFTER DELETE ON activities REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION activity_days_count()`,
    'DROP TRIGGER activity_days_delete ON activities',
  ],
  [
    `CREATE FUNCTION activity_days_recount() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       DELETE FROM activity_days WHERE tenant_id = NEW.id;
       ${COUNT_ROWS('(SELECT * FROM activities WHERE tenant_id = NEW.id)', '')};
       RETURN NULL;
     END $$`,
    'DROP FUNCTION activity_days_recount()',
  ],
  [
    `CREATE TRIGGER activity_days_time_zone AFTER UPDATE OF time_zone ON tenants
       FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION activity_days_recount()`,
    'DROP TRIGGER activity_days_time_zone ON tenants',
  ],
  [COUNT_ROWS('activities', ''), 'SELECT 1'],
  [
    `CREATE FUNCTION customer_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
       SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i
     $$`,
    'DROP FUNCTION customer_bigrams(text)',
  ],
  ['CREATE INDEX customers_search_bigrams ON customers USING gin (customer_bigrams(search_text))', 'DROP INDEX customers_search_bigrams'],
  // A finer histogram of search_text lets the planner tell a keyword matching 6,000 customers from
  // one matching 100 (it tries the LIKE on the histogram's values), so it walks the list's order or
  // reads the keyword's index as the number of matches calls for.
  [
    'ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS 1000',
    'ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS -1',
  ],
];

/**
 * One transaction, with activities locked against writes first: an activity logged between the
 * trigger's creation and the backfill would otherwise be counted twice.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.sequelize.transaction(async (transaction) => {
    await qi.sequelize.query('LOCK TABLE activities IN SHARE ROW EXCLUSIVE MODE', { transaction });
    for (const [sql] of STATEMENTS) await qi.sequelize.query(sql, { transaction });
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.sequelize.transaction(async (transaction) => {
    for (const [, sql] of [...STATEMENTS].reverse()) await qi.sequelize.query(sql, { transaction });
  });
}
