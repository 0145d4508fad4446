/* The realtime server the previews draw from, in a process of its own (its timers and clock stay
 * apart from the pages'). Run by server.mjs with `node --import tsx`. Environment:
 *   PREVIEW_DATABASE_URL  a database to use as it is (tests: a clone of the seeded template);
 *                         unset: embedded PGlite in a temp dir, migrated and seeded here.
 *   PREVIEW_NOW           freeze the clock there (only with PGlite, whose now() is this process's
 *                         clock); the parent moves it back for every state with { clock: iso }.
 * Tells the parent { ready: url } once it listens. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installClock } from './clock.mjs';

const frozen = process.env['PREVIEW_NOW'] && !process.env['PREVIEW_DATABASE_URL'] ? installClock(process.env['PREVIEW_NOW']) : null;

const { createDatabase, migrate } = await import('../../realtime-server/src/bootstrap.js');
const { loadConfig } = await import('../../realtime-server/src/config.js');
const { startEmbeddedPostgres } = await import('../../realtime-server/src/embedded-db.js');
const { createLogger } = await import('../../realtime-server/src/logger.js');
const { createNode } = await import('../../realtime-server/src/node.js');
const { seedDemo } = await import('../../realtime-server/src/seed/demo.seed.js');

// PREVIEW_TIMINGS=1 prints how long each step of the start took.
const started = performance.now();
const step = (what: string) => { if (process.env['PREVIEW_TIMINGS']) process.stderr.write(`previews server: ${what} at ${Math.round(performance.now() - started)} ms\n`); };
const given = process.env['PREVIEW_DATABASE_URL'];
const dataDir = given ? null : mkdtempSync(join(tmpdir(), 'live-crm-previews-'));
const embedded = dataDir ? await startEmbeddedPostgres(dataDir) : null;
step('database started');
const config = loadConfig({
  NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: given ?? embedded!.url,
  JWT_SECRET: 'previews-only-secret-0123456789abcdefghijklmnop', NODE_ID: 'previews',
  // The clock moves back for every state, so limiter windows never end: the pictures are not about limits.
  RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '100000',
});
const db = createDatabase({ url: config.databaseUrl!, poolMax: embedded?.maxConnections ?? 4 });
if (embedded) {
  await migrate(db, { lock: false });
  step('migrated');
  await seedDemo(db, { config });
  step('seeded');
}
// A tenant that signed up a moment ago: the empty states are what its people see.
const { createOrganisation } = await import('@live-crm/models');
await createOrganisation(db, [{ name: '新起点科技有限公司', admins: [], teams: [{ name: '新团队',
  manager: { login: 'nora', name: '宁静', role: 'manager' }, reps: [{ login: 'nick', name: '聂远', role: 'rep' }] }] }]);
const node = await createNode({ config, db, logger: createLogger('silent', 'previews'), jwtSecret: config.jwtSecret! });
const port = await node.listen();

async function stop(): Promise<void> {
  await node.close();
  await db.close();
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

process.on('message', (message: { clock?: string; stop?: boolean }) => {
  if (message.clock) {
    frozen?.reset(message.clock);
    process.send!({ clock: message.clock });
  }
  if (message.stop) void stop();
});
process.on('disconnect', () => void stop());
process.send!({ ready: `http://127.0.0.1:${port}` });
