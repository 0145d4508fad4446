/**
 * One tenant's team holding a million customers and ten million activities: what the phone's reads
 * cost then. `npm run bench:data -w realtime-server` (not part of `npm run bench`).
 *
 * A fresh database as every bench makes it (migrations, demo seed through the services); then the
 * rows are bulk-loaded by SQL into demo team West (big-tenant-load.ts says how, and why SQL: through
 * the services 10,000,000 activities would take many hours). One node, production settings, Redis;
 * manager wes and rep will (West is in `owner` visibility, so their views differ) ask over HTTP:
 * the customer list's first page, keyword search, the dashboard, two timelines, and one export of
 * about 100,000 customers, whose time and the node's peak RSS are taken. Writes
 * bench/results/<date>-data.md, each figure beside its goal.
 *
 * Knobs: BENCH_DATA_CUSTOMERS (1000000), BENCH_DATA_ACTIVITIES (10000000), BENCH_DATA_REQUESTS per
 * figure (300), BENCH_DATA_WARMUP (20), BENCH_DATA_SERIES_S (180: a figure stops after that long once
 * it has 30 samples), BENCH_DATA_EXPORT_ROWS (100000), BENCH_DATA_KEEP=1 keeps the database for
 * EXPLAIN afterwards. Smoke run: BENCH_DATA_CUSTOMERS=20000 BENCH_DATA_ACTIVITIES=200000.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatabase } from '@live-crm/models';
import type { ActivitiesResponse, CustomerListResponse } from '@live-crm/shared-types';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { createTemplate, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';
import { loadBigTenant, type LoadResult } from './big-tenant-load.js';
import { apiFor, measureExport, paced, summarize, timed, type Api, type Timed } from './big-tenant-measure.js';
import { pick, type Picks } from './big-tenant-picks.js';
import { renderDataReport, type DataReport, type FigureRow } from './big-tenant-report.js';
import { JWT_SECRET, startServers, type ServerSet } from './cluster.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SIZES = { customers: env('BENCH_DATA_CUSTOMERS', 1_000_000), activities: env('BENCH_DATA_ACTIVITIES', 10_000_000) };
const REQUESTS = env('BENCH_DATA_REQUESTS', 300);
const WARMUP = env('BENCH_DATA_WARMUP', 20);
/** A figure stops after this long (warm-up included) once it has 30 samples: a 4 s dashboard would take 20 min. */
const LIMIT = { seconds: env('BENCH_DATA_SERIES_S', 180), minSamples: 30 };
const EXPORT_ROWS = env('BENCH_DATA_EXPORT_ROWS', 100_000);
const KEEP = process.env['BENCH_DATA_KEEP'] === '1';
const GOALS = { listMs: 50, dashboardMs: 300, rssMb: 300 };
/** Demo team West: manager wes, reps will and wendy, `owner` visibility (ARCHITECTURE 4, 9.2). */
const LOGINS = { manager: 'wes', rep: 'will', reps: ['will', 'wendy'] };
const LIST = '/api/crm/customers?page=1&limit=20&status=all&sortBy=lastContact&scope=all';
const DASHBOARD = ['sales', 'pipeline', 'activities'] as const;

interface View {
  name: string;
  api: Api;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Runs and logs one series; answers its figure row. */
async function series(figure: string, view: View, goalMs: number | null, cost: number, run: Parameters<typeof paced>[4]) {
  const result = await paced(REQUESTS, WARMUP, cost, LIMIT, run);
  const row: FigureRow = { figure, view: view.name, goalMs, summary: summarize(result.times) };
  const s = row.summary;
  log(
    `${figure.padEnd(44)} ${view.name.padEnd(12)} p50 ${s.p50.toFixed(1).padStart(7)}  p95 ${s.p95.toFixed(1).padStart(7)}  max ${s.max.toFixed(1).padStart(7)} ms`,
  );
  return { row, result };
}

/** Every figure but the export, for the manager's view and the rep's, one after the other. */
async function measureReads(views: View[], picks: Picks) {
  const rows: FigureRow[] = [];
  const hits = new Map<string, string>();
  const searches: Timed[] = [];
  for (const view of views) {
    rows.push(
      (
        await series('customer list, first page', view, GOALS.listMs, 1, async () => {
          const page = await view.api.get<CustomerListResponse>(LIST);
          if (page.customers.length !== 20) throw new Error(`the list answered ${page.customers.length} customers`);
        })
      ).row,
    );
  }
  for (const view of views) {
    const { row, result } = await series('keyword search, first page', view, GOALS.listMs, 1, async (i) => {
      const k = picks.keywords[i % picks.keywords.length]!;
      const [page, took] = await timed(view.api.get<CustomerListResponse>(`${LIST}&keyword=${encodeURIComponent(k.text)}`));
      hits.set(`${view.name}:${k.text}`, `${page.total.toLocaleString('en-US')}${page.totalCapped ? '+' : ''}`);
      return { [k.text]: took };
    });
    rows.push(row);
    searches.push(result);
  }
  for (const view of views) {
    const { row, result } = await series('dashboard (3 requests in parallel)', view, GOALS.dashboardMs, DASHBOARD.length, async () => {
      const answers = await Promise.all(DASHBOARD.map((d) => timed(view.api.get(`/api/crm/analytics/${d}?period=30d`))));
      return Object.fromEntries(DASHBOARD.map((d, i) => [d, answers[i]![1]]));
    });
    rows.push(row);
    for (const d of DASHBOARD)
      rows.push({ figure: `  within it: analytics/${d}`, view: view.name, goalMs: null, summary: summarize(result.parts.get(d) ?? []) });
  }
  for (const customer of [picks.few, picks.many]) {
    for (const view of views) {
      const figure = `timeline, customer with ${customer.n.toLocaleString('en-US')} activities`;
      const row = await series(figure, view, null, 1, async () => {
        const { activities } = await view.api.get<ActivitiesResponse>(`/api/crm/customers/${customer.id}/activities?limit=50`);
        if (activities.length !== Math.min(50, customer.n)) throw new Error(`the timeline answered ${activities.length} activities`);
      });
      rows.push(row.row);
    }
  }
  const keywords = picks.keywords.map((k) => ({
    ...k,
    managerHits: hits.get(`${views[0]!.name}:${k.text}`) ?? '?',
    repHits: hits.get(`${views[1]!.name}:${k.text}`) ?? '?',
    managerP95: summarize(searches[0]!.parts.get(k.text) ?? []).p95,
    repP95: summarize(searches[1]!.parts.get(k.text) ?? []).p95,
  }));
  return { rows, keywords };
}

async function users(url: string) {
  const db = createDatabase({ url, poolMax: 1 });
  try {
    const found = await db.models.User.findAll({ where: { login: [LOGINS.manager, ...LOGINS.reps] } });
    const by = (login: string) => found.find((u) => u.login === login)!;
    const manager = by(LOGINS.manager);
    const team = { tenantId: manager.tenantId, teamId: manager.teamId!, managerId: manager.id, repIds: LOGINS.reps.map((l) => by(l).id) };
    const signer = createTokenSigner(JWT_SECRET);
    return { team, repId: by(LOGINS.rep).id, token: (login: string) => signer.sign(by(login).id, manager.tenantId) };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const name = uniqueName('livecrm_bench_data');
  const url = urlFor(name);
  let servers: ServerSet | null = null;
  try {
    log(
      `bench:data: ${SIZES.customers.toLocaleString('en-US')} customers, ${SIZES.activities.toLocaleString('en-US')} activities, database ${name}`,
    );
    const t0 = performance.now();
    await createTemplate(name);
    const seedSeconds = (performance.now() - t0) / 1000;
    const { team, repId, token } = await users(url);
    const load: LoadResult = await loadBigTenant(url, team, SIZES, new Date());
    for (const s of load.steps)
      log(`  load: ${s.name.padEnd(40)} ${s.seconds.toFixed(1).padStart(7)} s  (PostgreSQL CPU ${s.cpuSeconds.toFixed(1)} s)`);
    const picks = await pick(url, team.teamId, repId, load, EXPORT_ROWS);

    servers = await startServers('ours', { databaseUrl: url, nodes: 1 });
    const base = servers.urls[0]!;
    const views: View[] = [
      { name: `manager ${LOGINS.manager}`, api: apiFor(base, token(LOGINS.manager)) },
      { name: `rep ${LOGINS.rep}`, api: apiFor(base, token(LOGINS.rep)) },
    ];
    await views[0]!.api.send('PATCH', '/api/crm/team/settings', { recycleAfterDays: null });
    // The list counts to 10,000 at most (its `totalCapped`); what each view holds is counted in SQL (picks).
    const { manager: managerRows, rep: repRows } = picks.rows;
    log(`node ${base}; visibility ${picks.visibility}; the manager sees ${managerRows} customers, the rep ${repRows}`);

    const reads = await measureReads(views, picks);
    const filters = { createdFrom: picks.exportWindow.from, createdTo: picks.exportWindow.to };
    const exported = await measureExport(servers, views[0]!.api, { type: 'customers', filters });
    log(
      `export: ${exported.rows} rows in ${exported.seconds.toFixed(1)} s; node RSS ${(exported.rssBefore / 2 ** 20).toFixed(0)} MB before, peak ${(exported.rssPeak / 2 ** 20).toFixed(0)} MB`,
    );

    const report: DataReport = {
      sizes: SIZES,
      load,
      seedSeconds,
      picks,
      views: { manager: LOGINS.manager, rep: LOGINS.rep, managerRows, repRows },
      rows: reads.rows,
      keywords: reads.keywords,
      exported,
      rssGoalMb: GOALS.rssMb,
      requests: REQUESTS,
      warmup: WARMUP,
      seriesSeconds: LIMIT.seconds,
    };
    const text = renderDataReport(report);
    const file = resolve(import.meta.dirname, '../../bench/results', `${new Date().toISOString().slice(0, 10)}-data.md`);
    writeFileSync(file, text);
    log(`\n${text}\nwritten to ${file}`);
  } finally {
    await servers?.stop();
    if (KEEP) log(`kept database ${name} (drop it with: DROP DATABASE "${name}" WITH (FORCE))`);
    else await dropDatabase(name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
