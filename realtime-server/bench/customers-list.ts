/**
 * The customer list with 100k customers in one team of one tenant, end to end over HTTP:
 * `npx tsx realtime-server/bench/customers-list.ts` (TEST_DATABASE_URL, default local PostgreSQL).
 * Seeds a throwaway database (migrations + demo data + 100k customers), starts one real node,
 * prints p50/p95 per scenario and the plan of one keyword query, then drops the database.
 */
import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import { createDatabase, createMigrator, type Database } from '@live-crm/models';
import { seedDemo } from '../src/seed/demo.seed.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createNode } from '../src/node.js';
import { ADMIN_URL, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';

const ROWS = Number(process.env['BENCH_CUSTOMERS'] ?? 100_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 60);
/** BENCH_ONLY=seed stops after seeding (with BENCH_KEEP=1, to study plans by hand). */
const ONLY_SEED = process.env['BENCH_ONLY'] === 'seed';
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '婷', '欣怡', '子涵', '浩然'];
const CITIES = ['上海', '杭州', '苏州', '南京', '深圳', '广州', '成都', '武汉', '青岛', '厦门'];
const TRADES = ['明达贸易', '华信科技', '远航物流', '金桥建材', '瑞丰食品', '博雅文化', '恒通机电', '新禾农业', '海风渔业', '天成医疗'];

/** 100k realistic rows in one statement; every value is a replacement. */
async function seedCustomers(db: Database, teamId: number, tenantId: number): Promise<void> {
  await db.sequelize.query(
    `INSERT INTO customers (tenant_id, team_id, name, company, phone, email, status, last_contact_at, version, created_at, updated_at)
     SELECT :tenantId, :teamId,
       (ARRAY[:surnames])[1 + i % :ns] || (ARRAY[:given])[1 + (i / 7) % :ng] || (ARRAY[:given])[1 + (i / 97) % :ng],
       (ARRAY[:cities])[1 + i % :nc] || (ARRAY[:trades])[1 + (i / 11) % :nt] || '有限公司 ' || (i % 400),
       '13' || lpad((100000000 + i * 7919 % 899999999)::text, 9, '0'),
       'c' || i || '@corp' || (i % 500) || '.cn',
       (ARRAY['lead','prospect','active','inactive'])[1 + i % 4],
       CASE WHEN i % 5 = 0 THEN NULL ELSE now() - make_interval(secs => (i::bigint * 104729) % 31536000) END,
       1, now() - make_interval(secs => (100000 - i) * 900), now()
     FROM generate_series(1, :rows) AS i`,
    {
      replacements: {
        tenantId,
        teamId,
        rows: ROWS,
        surnames: SURNAMES,
        given: GIVEN,
        cities: CITIES,
        trades: TRADES,
        ns: SURNAMES.length,
        ng: GIVEN.length,
        nc: CITIES.length,
        nt: TRADES.length,
      },
      type: QueryTypes.INSERT,
    },
  );
  // What autovacuum does to a table at rest: statistics, and a visibility map for index-only counts.
  await db.sequelize.query('VACUUM ANALYZE customers');
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function time(label: string, run: () => Promise<{ total: number }>): Promise<void> {
  for (let i = 0; i < 5; i++) await run();
  const ms: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    total = (await run()).total;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} p50 ${pct(ms, 50).toFixed(1).padStart(6)} ms   p95 ${pct(ms, 95).toFixed(1).padStart(6)} ms   (total ${total})`,
  );
}

async function main(): Promise<void> {
  const name = uniqueName('livecrm_bench');
  const admin = createDatabase({ url: ADMIN_URL, poolMax: 1 });
  await admin.sequelize.query(`CREATE DATABASE "${name}"`);
  await admin.close();
  const db = createDatabase({ url: urlFor(name), poolMax: 10 });
  try {
    await createMigrator(db.sequelize).up();
    await seedDemo(db);
    const ray = await db.models.User.findOne({ where: { login: 'ray' } });
    const t0 = performance.now();
    await seedCustomers(db, ray!.teamId!, ray!.tenantId);
    console.log(`seeded ${ROWS} customers into team ${ray!.teamId} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (ONLY_SEED) return;

    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET,
      LOG_LEVEL: 'silent',
      DATABASE_URL: urlFor(name),
      // One client asking back to back on purpose: the per-user rate limit is not what is measured.
      RATE_LIMIT_PER_SEC: '100000',
      RATE_LIMIT_BURST: '100000',
    });
    const node = await createNode({ config, db, logger: createLogger('silent', 'bench'), jwtSecret: JWT_SECRET });
    const base = `http://127.0.0.1:${await node.listen()}`;
    const login = await fetch(`${base}/api/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login":"ray"}',
    });
    const { token } = (await login.json()) as { token: string };
    const list = async (query: string) => {
      const res = await fetch(`${base}/api/crm/customers?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { total: number; nextCursor: string | null };
    };

    await time('page 1, lastContact (default)', () => list('limit=20'));
    await time('page 1, name', () => list('limit=20&sortBy=name'));
    await time('page 1, createdAt', () => list('limit=20&sortBy=createdAt'));
    await time('page 50 (offset 980), lastContact', () => list('limit=20&page=50'));
    await time('page 2500 (offset 49980), name', () => list('limit=20&page=2500&sortBy=name'));
    const deep = (await list(`limit=100&page=500&sortBy=name`)).nextCursor!;
    await time('cursor after row 50000, name', () => list(`limit=20&sortBy=name&cursor=${deep}`));
    await time('status=active, page 1', () => list('limit=20&status=active'));
    for (const kw of ['13100007919', 'c4242@', 'corp77', '欧阳子涵', '海风渔业', '王伟', '王']) {
      await time(`keyword "${kw}"`, () => list(`limit=20&keyword=${encodeURIComponent(kw)}`));
    }
    await time('keyword "海风渔业" + status + sort name', () =>
      list(`limit=20&status=lead&sortBy=name&keyword=${encodeURIComponent('海风渔业')}`),
    );

    const plan = await db.sequelize.query<{ 'QUERY PLAN': string }>(
      'EXPLAIN ANALYZE SELECT count(*) FROM customers c WHERE c.team_id = :teamId AND c.search_text LIKE lower(:kw)',
      { replacements: { teamId: ray!.teamId, kw: '%13100007919%' }, type: QueryTypes.SELECT },
    );
    console.log(`\nplan of a keyword count:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    await node.close();
  } finally {
    await db.close();
    if (process.env['BENCH_KEEP'] === '1') console.log(`kept database ${name}`);
    else await dropDatabase(name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
