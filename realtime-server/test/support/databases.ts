import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, createMigrator } from '@live-crm/models';
import { seedDemo } from '../../src/seed/demo.seed.js';

/** Server where test databases are created; each file clones a migrated, seeded template. */
export const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

/** Builds the template once per run: migrations up, then the demo seed. */
export async function createTemplate(name: string): Promise<void> {
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const db = createDatabase({ url: urlFor(name), poolMax: 2 });
  try {
    await createMigrator(db.sequelize).up();
    await seedDemo(db);
  } finally {
    await db.close();
  }
}

/** An empty database of its own (benches migrate and seed it themselves). */
export async function createEmptyDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = uniqueName(prefix);
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { name, url: urlFor(name), drop: () => dropDatabase(name) };
}

/** A fresh database cloned from the template (fast: a file copy inside PostgreSQL). */
export async function cloneDatabase(template: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = uniqueName('livecrm_t');
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: urlFor(name), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
