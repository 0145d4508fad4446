/**
 * Memory of one xlsx export of 100k customers, measured inside the server process.
 *
 *   npx tsx --expose-gc bench/export-memory.ts [--rows 100000] [--slow] [--compare]
 *
 * Seeds a throwaway database (migrations, demo seed, then N customers in one team), starts a real
 * node in this process, asks POST /api/crm/export for a link and downloads it as wx.downloadFile
 * would (plain GET, no bearer), while sampling process.memoryUsage() every 10 ms. --slow reads
 * the download slowly, so the database outpaces the client and backpressure has to hold.
 * --compare then builds the same sheet the naive way (every row in memory) for contrast.
 * Needs PostgreSQL at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import { seedDemo } from '../src/seed/demo.seed.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createNode } from '../src/node.js';
import { ADMIN_URL, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';
import { countRows } from './xlsx-rows.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    slow: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const MB = 1024 * 1024;
const log = (line: string) => process.stdout.write(`${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

/** Demo seed, then N customers in ray's team, inserted by PostgreSQL so this process stays small. */
async function seed(db: Database): Promise<{ teamId: number }> {
  await createMigrator(db.sequelize).up();
  await seedDemo(db);
  const ray = (await db.models.User.findOne({ where: { login: 'ray' } }))!;
  await db.sequelize.query(
    `INSERT INTO customers (tenant_id, team_id, name, company, phone, email, status, owner_id, address, last_contact_at, created_at, updated_at)
     SELECT :tenantId, :teamId, '客户' || i, '上海明达贸易有限公司 ' || (i % 997), '139' || lpad(CAST(i AS text), 8, '0'),
       'c' || i || '@example.cn', 'prospect', :ownerId, '上海市 ' || (i % 500) || ' 号', now() - (i % 90) * interval '1 day', now(), now()
     FROM generate_series(1, :rows) AS i`,
    { replacements: { tenantId: ray.tenantId, teamId: ray.teamId, ownerId: ray.id, rows: ROWS } },
  );
  return { teamId: ray.teamId! };
}

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
const sample = (): Sample => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
};

/**
 * Runs `work` while sampling memory every 10 ms (every 250 ms with a GC first when `live`, so the
 * peak is what is actually retained rather than garbage not yet collected); baseline after a GC.
 */
async function measure<T>(work: () => Promise<T>, live = false): Promise<{ result: T; base: Sample; peak: Sample; ms: number }> {
  gc?.();
  await sleep(50);
  const base = sample();
  const peak = { ...base };
  const timer = setInterval(
    () => {
      if (live) gc?.();
      const s = sample();
      for (const k of Object.keys(peak) as Array<keyof Sample>) peak[k] = Math.max(peak[k], s[k]);
    },
    live ? 250 : 10,
  );
  const t0 = performance.now();
  try {
    const result = await work();
    return { result, base, peak, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

const report = (label: string, m: { base: Sample; peak: Sample; ms: number }) => {
  const f = (k: keyof Sample) =>
    `${(m.base[k] / MB).toFixed(1)} -> ${(m.peak[k] / MB).toFixed(1)} MB (+${((m.peak[k] - m.base[k]) / MB).toFixed(1)})`;
  log(`${label}: ${(m.ms / 1000).toFixed(1)} s`);
  log(`  rss          ${f('rss')}`);
  log(`  heapUsed     ${f('heapUsed')}`);
  log(`  external     ${f('external')}`);
  log(`  arrayBuffers ${f('arrayBuffers')}`);
};

/** Reads the download to a file; --slow takes 2 ms per chunk, far slower than the database. */
async function fetchTo(url: string, file: string): Promise<number> {
  const res = await fetch(url);
  if (res.status !== 200 || !res.body) throw new Error(`download answered ${res.status}`);
  const body = Readable.fromWeb(res.body as WebReadableStream);
  if (args.slow) {
    const out = createWriteStream(file);
    for await (const chunk of body) {
      out.write(chunk);
      await sleep(2);
    }
    await new Promise((r) => out.end(r));
  } else {
    await pipeline(body, createWriteStream(file));
  }
  return (await stat(file)).size;
}

/** The naive way, for contrast: every row in one query, one in-memory workbook, one buffer. */
async function naive(db: Database, teamId: number): Promise<number> {
  const rows = await db.sequelize.query<Record<string, unknown>>('SELECT * FROM customers WHERE team_id = :teamId ORDER BY id', {
    replacements: { teamId },
    type: QueryTypes.SELECT,
  });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Customers');
  for (const r of rows) ws.addRow([r['id'], r['name'], r['company'], r['phone'], r['email'], r['status'], r['address']]);
  return (await wb.xlsx.writeBuffer()).byteLength;
}

async function main(): Promise<void> {
  if (!gc) log('note: run with --expose-gc for a settled baseline');
  const name = uniqueName('livecrm_bench_export');
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));
  const db = createDatabase({ url: urlFor(name), poolMax: 10 });
  let node: Awaited<ReturnType<typeof createNode>> | undefined;
  try {
    const t0 = performance.now();
    const { teamId } = await seed(db);
    log(`seeded ${ROWS} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s (database ${name})`);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      DATABASE_URL: urlFor(name),
    });
    node = await createNode({ config, db, logger: createLogger('silent', 'bench'), jwtSecret: SECRET });
    const base = `http://127.0.0.1:${await node.listen()}`;
    const { token } = (await (
      await fetch(`${base}/api/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"login":"ray"}',
      })
    ).json()) as { token: string };
    const link = await fetch(`${base}/api/crm/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"type":"customers"}',
    });
    const { downloadUrl } = (await link.json()) as { downloadUrl: string };

    const file = join(dir, 'customers.xlsx');
    const label = `streamed export${args.slow ? ' (slow reader)' : ''}`;
    const streamed = await measure(() => fetchTo(downloadUrl, file));
    report(`${label}, ${(streamed.result / MB).toFixed(1)} MB xlsx, peaks as sampled`, streamed);
    if (gc) report(`${label}, live memory (GC before each sample)`, await measure(() => fetchTo(downloadUrl, file), true));
    const rows = await countRows(file);
    log(`  read back with exceljs: ${rows} data rows${rows >= ROWS ? '' : `  <-- expected at least ${ROWS}`}`);
    if (args.compare) report('naive export (all rows in memory), same process, peaks as sampled', await measure(() => naive(db, teamId)));
  } finally {
    await node?.close();
    await db.close();
    await dropDatabase(name);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
