import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite persisted under `dataDir`, served over the PostgreSQL wire protocol on loopback so
 * Sequelize talks to it like any server. It answers one connection at a time: the pool max must
 * equal `maxConnections`.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 1) {
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir);
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
