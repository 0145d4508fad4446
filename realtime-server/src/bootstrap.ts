import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { QueryTypes } from 'sequelize';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import type { Config } from './config.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

export function dataDirOf(config: Config): string {
  return isAbsolute(config.dataDir) ? config.dataDir : join(REPO_ROOT, config.dataDir);
}

/** Dev: a secret generated once and kept under .data/; production refuses to start without one (config). */
export function jwtSecretOf(config: Config): string {
  if (config.jwtSecret) return config.jwtSecret;
  const dir = dataDirOf(config);
  const file = join(dir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Applies pending migrations; on a shared server an advisory lock keeps concurrent nodes in line. */
export async function migrate(db: Database, { lock }: { lock: boolean }): Promise<void> {
  const migrator = createMigrator(db.sequelize);
  if (!lock) {
    await migrator.up();
    return;
  }
  await db.sequelize.transaction(async (tx) => {
    await db.sequelize.query('SELECT pg_advisory_xact_lock(72616)', { transaction: tx, type: QueryTypes.SELECT });
    await migrator.up();
  });
}

export { createDatabase };
