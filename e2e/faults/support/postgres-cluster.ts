import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, run } from './children.js';

const BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

async function asPostgres(tool: string, args: string[]): Promise<string> {
  return run('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]);
}

/**
 * A PostgreSQL cluster of this test's own in a temp dir, on a free port: restarting it touches
 * nobody else (other test files use the machine's shared server in parallel).
 */
export async function createPrivateCluster(database = 'livecrm') {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'livecrm-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'run');
  mkdirSync(data);
  mkdirSync(sockets);
  const uid = Number((await run('id', ['-u', 'postgres'])).trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).trim());
  for (const p of [dir, data, sockets]) chownSync(p, uid, gid);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;

  const cluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']),
    /** fast: open transactions are rolled back and sessions cut, as in a real restart. */
    stop: (mode: 'fast' | 'immediate' = 'fast') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']),
    async remove() {
      await cluster.stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        return (await client.query<T>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
  };
  await cluster.start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return cluster;
}

export type PrivateCluster = Awaited<ReturnType<typeof createPrivateCluster>>;
