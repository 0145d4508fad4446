import { createDatabase } from './db.js';
import { MIGRATE_USAGE, migrateCommand } from './migrate-command.js';
import { createMigrator } from './migrator.js';

/** `npm run migrate -w models -- up | down | status`: the same migrations the server applies at start. */
async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error(`DATABASE_URL is not set (the embedded database of \`npm start\` migrates itself).\n${MIGRATE_USAGE}`);
  const db = createDatabase({ url, poolMax: 2, defaultTimeZone: process.env['TZ_DEFAULT'] ?? 'Asia/Shanghai' });
  try {
    const lines = await migrateCommand(createMigrator(db.sequelize), process.argv.slice(2));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
