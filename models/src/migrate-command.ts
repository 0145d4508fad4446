import type { QueryInterface } from 'sequelize';
import type { Umzug } from 'umzug';

export const MIGRATE_USAGE = `usage: npm run migrate -w models -- [up | down | status] [--to <name>]
  up               apply every pending migration (the default); --to <name> stops after that one
  down             revert the last applied migration; --to <name> reverts back to and including
                   that one, --to 0 reverts them all
  status           list every migration as applied or pending
DATABASE_URL names the database.`;

/** Runs one `npm run migrate` command and returns the lines to print; bad arguments throw the usage. */
export async function migrateCommand(migrator: Umzug<QueryInterface>, args: readonly string[]): Promise<string[]> {
  const [command = 'up', ...rest] = args;
  const to = parseTo(rest);
  if (command === 'up') {
    const done = await migrator.up(to === undefined ? {} : { to });
    return done.length ? done.map((m) => `applied  ${m.name}`) : ['nothing to apply'];
  }
  if (command === 'down') {
    const done = await migrator.down(to === undefined ? {} : { to: to === '0' ? 0 : to });
    return done.length ? done.map((m) => `reverted ${m.name}`) : ['nothing to revert'];
  }
  if (command === 'status' && to === undefined) {
    const [applied, pending] = await Promise.all([migrator.executed(), migrator.pending()]);
    return [...applied.map((m) => `applied  ${m.name}`), ...pending.map((m) => `pending  ${m.name}`)];
  }
  throw new Error(MIGRATE_USAGE);
}

function parseTo(rest: readonly string[]): string | undefined {
  if (rest.length === 0) return undefined;
  if (rest.length === 2 && rest[0] === '--to' && rest[1]) return rest[1];
  throw new Error(MIGRATE_USAGE);
}
