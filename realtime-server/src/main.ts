import { DEMO_LOGINS } from '@live-crm/models';
import { dataDirOf, jwtSecretOf, migrate, createDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import { startEmbeddedPostgres } from './embedded-db.js';
import { createLogger } from './logger.js';
import { createNode } from './node.js';
import { seedDemo } from './seed/demo.seed.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.nodeId);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(dataDirOf(config));
  const db = createDatabase({
    url: config.databaseUrl ?? embedded!.url,
    poolMax: embedded?.maxConnections ?? 10,
    poolIdleMs: config.poolIdleMs,
    defaultTimeZone: config.timeZone,
  });
  await migrate(db, { lock: !embedded });
  if (config.seedDemo ?? Boolean(embedded)) {
    if (await seedDemo(db, { config })) logger.info('demo data seeded');
  }
  const node = await createNode({ config, db, logger, jwtSecret: jwtSecretOf(config) });
  const port = await node.listen();
  logger.info({ port, embedded: Boolean(embedded), redis: Boolean(config.redisUrl) }, 'live crm listening');
  if (config.devLogin) {
    const logins = DEMO_LOGINS.map((u) => `${u.login} (${u.role}${u.team ? `, ${u.team}` : ''}, ${u.tenant})`);
    process.stdout.write(
      `\nLive CRM is up at http://127.0.0.1:${port}\nDemo logins: ${logins.join('; ')}\n` +
        `  curl -X POST http://127.0.0.1:${port}/api/auth/dev-login -H 'content-type: application/json' -d '{"login":"ray"}'\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = config.shutdownDeadlineMs;
    logger.info({ signal, deadlineMs: deadline }, 'draining');
    // The backstop: whatever still hangs (a database that does not answer its close), the process is gone by the deadline.
    setTimeout(() => {
      logger.error({ deadlineMs: deadline }, 'shutdown deadline passed; exiting without a clean close');
      process.exit(1);
    }, deadline).unref();
    // Connections still open a moment before the deadline are cut, leaving time to close Redis and the pool.
    await node.close({ cutAfterMs: Math.max(deadline - Math.min(1000, deadline / 4), 0) });
    await db.close();
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
