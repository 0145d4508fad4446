import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_USAGE, migrateCommand } from '../src/migrate-command.js';
import { createMigrator, MIGRATION_NAMES } from '../src/migrator.js';
import { createThrowawayDb, type ThrowawayDb } from './support/throwaway-db.js';

let tdb: ThrowawayDb;
beforeAll(async () => {
  tdb = await createThrowawayDb();
});
afterAll(() => tdb?.drop());

const run = (...args: string[]) => migrateCommand(createMigrator(tdb.db.sequelize), args);
const [first, second, ...rest] = MIGRATION_NAMES as [string, string, ...string[]];
const last = rest[rest.length - 1]!;

describe('npm run migrate', () => {
  it('applies up to a name, reports status, applies the rest, reverts the last and then all', async () => {
    expect(await run('up', '--to', second)).toEqual([`applied  ${first}`, `applied  ${second}`]);
    expect(await run('status')).toEqual([`applied  ${first}`, `applied  ${second}`, ...rest.map((n) => `pending  ${n}`)]);
    expect(await run()).toEqual(rest.map((n) => `applied  ${n}`));
    expect(await run('up')).toEqual(['nothing to apply']);
    expect(await run('down')).toEqual([`reverted ${last}`]);
    expect(await run('down', '--to', '0')).toHaveLength(MIGRATION_NAMES.length - 1);
    expect(await run('down')).toEqual(['nothing to revert']);
  });

  it('answers an unknown command or option with the usage, changing nothing', async () => {
    await expect(run('sideways')).rejects.toThrow(MIGRATE_USAGE);
    await expect(run('up', '--step', '1')).rejects.toThrow(MIGRATE_USAGE);
    expect(await run('status')).toEqual(MIGRATION_NAMES.map((n) => `pending  ${n}`));
  });

  it('works as the workspace script against DATABASE_URL', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'migrate', '-w', 'models', '--', 'status'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: tdb.url },
    });
    expect(stdout.trim().split('\n')).toEqual(MIGRATION_NAMES.map((n) => `pending  ${n}`));
  }, 60_000); // npm and tsx start cold
});
