/**
 * Bulk rows for big-tenant.ts: N customers and M activities written straight into the real tables by
 * PostgreSQL (INSERT ... SELECT generate_series), in the team of existing demo users.
 *
 * Why SQL and not the services, as every other seed here: one activity through the service is a
 * transaction, an idempotency check and an envelope, a few milliseconds each, so 10,000,000 of them
 * would take many hours. The rows are what the product writes: phone as typed with phone_key as
 * phone.ts normalises it (checked below against phoneKey itself), owners and actors the team's real
 * users (`null` owner: the pool), ids in creation order, last_contact_at the newest contact activity,
 * visits with their place. Not written: opportunities, tasks, notes and the pool's owner log (the
 * figures measured do not read them); the demo's own rows stay as the seed wrote them.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { phoneKey } from '@live-crm/models';
import { ACTIVITIES_SQL, CONTENTS, CUSTOMERS_SQL, LAST_TYPES, PLACES, PLAN_SQL, PLAN_TABLE, TYPES, WORDS } from './big-tenant-sql.js';
import { backendCpu } from './stats.js';

export interface LoadTeam {
  tenantId: number;
  teamId: number;
  managerId: number;
  repIds: number[];
}
export interface LoadSizes {
  customers: number;
  activities: number;
}
export interface LoadStep {
  name: string;
  seconds: number;
  cpuSeconds: number;
}
export interface LoadResult {
  steps: LoadStep[];
  activities: number;
  /** The customers with thousands of activities: id, activity count, owner. */
  heavy: Array<{ id: number; n: number; ownerId: number | null }>;
}

/** Big sorts and index builds in this session only; the node's sessions keep the server's settings. */
const SESSION = ['SET work_mem = $$256MB$$', 'SET maintenance_work_mem = $$512MB$$'];
const CONTACT_KINDS = ['call', 'meeting', 'email', 'message', 'visit', 'wechat'];

/**
 * Drops the table's secondary indexes and its foreign keys, and answers how to put them back from
 * their own definitions (pg_get_indexdef, pg_get_constraintdef: nothing here restates a migration),
 * as pg_restore does: one sorted build per index instead of millions of random insertions, and one
 * join per key that proves every reference, instead of four trigger lookups per row.
 */
async function strip(client: pg.Client, table: string): Promise<() => Promise<void>> {
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`,
    [table],
  );
  const { rows: keys } = await client.query<{ name: string; def: string }>(
    "SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'",
    [table],
  );
  for (const k of keys) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT "${k.name}"`);
  for (const x of indexes) await client.query(`DROP INDEX "${x.name}"`);
  return async () => {
    for (const x of indexes) await client.query(x.def);
    for (const k of keys) await client.query(`ALTER TABLE ${table} ADD CONSTRAINT "${k.name}" ${k.def}`);
  };
}

/** What the keys do not prove: every phone_key as phone.ts makes it, last contact = newest contact record. */
async function check(client: pg.Client, base: number): Promise<void> {
  const { rows } = await client.query<{ phone: string | null; phone_key: string | null }>(
    'SELECT phone, phone_key FROM customers WHERE id > $1 ORDER BY id LIMIT 2000',
    [base],
  );
  const bad = rows.filter((r) => phoneKey(r.phone) !== r.phone_key);
  if (bad.length) throw new Error(`phone_key differs from phoneKey(phone): ${JSON.stringify(bad.slice(0, 3))}`);
  const { rows: off } = await client.query<{ id: number }>(
    `SELECT c.id FROM customers c WHERE c.id > $1 AND c.id % 97 = 0 AND c.last_contact_at IS DISTINCT FROM
       (SELECT max(a.occurred_at) FROM activities a WHERE a.customer_id = c.id AND a.type = ANY($2::text[]))`,
    [base, CONTACT_KINDS],
  );
  if (off.length) throw new Error(`last_contact_at is not the newest contact record of customers ${off.slice(0, 5).map((r) => r.id)}`);
}

/** Wall and PostgreSQL backend CPU seconds of each step (the CPU figure holds up better on a busy machine). */
function stepTimer(url: string) {
  const cpu = backendCpu(url);
  const steps: LoadStep[] = [];
  return {
    steps,
    async run<T>(name: string, work: () => Promise<T>): Promise<T> {
      const [t0, c0] = [performance.now(), await cpu.sample()];
      const result = await work();
      steps.push({ name, seconds: (performance.now() - t0) / 1000, cpuSeconds: ((await cpu.sample()) - c0) / 1e6 });
      return result;
    },
    close: () => cpu.close(),
  };
}

/** Loads the rows into `team`, checks them and leaves the tables vacuumed and analysed. */
export async function loadBigTenant(url: string, team: LoadTeam, sizes: LoadSizes, now: Date): Promise<LoadResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const timer = stepTimer(url);
  const step = timer.run;
  try {
    for (const sql of SESSION) await client.query(sql);
    await client.query('SELECT setseed(0.42)');
    const heavyCount = Math.max(2, Math.round(sizes.customers / 10_000));
    const stride = Math.max(2, Math.floor(sizes.customers / (2 * heavyCount)));
    const base = Number((await client.query<{ m: number }>('SELECT coalesce(max(id), 0) AS m FROM customers')).rows[0]!.m);
    await step('plan (per-customer counts and times)', async () => {
      await client.query(PLAN_TABLE);
      await client.query(PLAN_SQL, [sizes.customers, sizes.activities, now, stride, team.repIds, team.managerId]);
      // Random rounding leaves the total a few hundred off: the first heavy customer takes the difference.
      await client.query('UPDATE bench_plan SET n = greatest(1, n + $1 - (SELECT sum(n) FROM bench_plan)) WHERE i = 1', [sizes.activities]);
    });
    const restoreCustomers = await strip(client, 'customers');
    const restoreActivities = await strip(client, 'activities');
    await step(`customers (${sizes.customers.toLocaleString('en-US')} rows)`, async () => {
      await client.query(CUSTOMERS_SQL, [base, team.tenantId, team.teamId, now, JSON.stringify(WORDS)]);
      await client.query("SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers))");
    });
    const activities = await step(`activities (${sizes.activities.toLocaleString('en-US')} rows)`, async () => {
      const words = [TYPES, LAST_TYPES, JSON.stringify(CONTENTS), JSON.stringify(PLACES)];
      return (
        (await client.query(ACTIVITIES_SQL, [base, team.tenantId, team.teamId, team.repIds, team.managerId, ...words, now])).rowCount ?? 0
      );
    });
    await step('customers: indexes and foreign keys', restoreCustomers);
    await step('activities: indexes and foreign keys', restoreActivities);
    // Autovacuum would otherwise set the visibility map and hint bits in the middle of the measurement.
    await step('VACUUM ANALYZE', async () => {
      await client.query('VACUUM (ANALYZE) customers');
      await client.query('VACUUM (ANALYZE) activities');
    });
    await step('consistency checks', () => check(client, base));
    const { rows } = await client.query<{ id: number; n: number; owner_id: number | null }>(
      'SELECT $1 + i AS id, n, owner_id FROM bench_plan WHERE heavy ORDER BY n DESC',
      [base],
    );
    return { steps: timer.steps, activities, heavy: rows.map((r) => ({ id: Number(r.id), n: r.n, ownerId: r.owner_id })) };
  } finally {
    await timer.close();
    await client.end();
  }
}
