import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite persisted under `dataDir`, served over the PostgreSQL wire protocol on loopback so
 * Sequelize talks to it like any server. It answers one connection at a time: the pool max must
 * equal `maxConnections`.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 1) {
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  // pg_trgm backs the customer keyword search (migration 0004 creates the extension).
  const pg = await PGlite.create(dir, { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const conn = server.getServerConn();
  return {
    url: `postgres://postgres@${conn}/postgres`,
    maxConnections,
    async stop() {
      await server.stop();
      await pg.close();
    },
  };
}
