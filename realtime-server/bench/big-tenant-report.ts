/** The results file of big-tenant.ts: each figure beside its goal, then what was measured and how. */
import { cpus, loadavg } from 'node:os';
import type { LoadResult, LoadSizes } from './big-tenant-load.js';
import type { ExportOutcome, Summary } from './big-tenant-measure.js';
import type { Keyword, Picks } from './big-tenant-picks.js';

export interface FigureRow {
  figure: string;
  view: string;
  /** p95 goal in ms; null: measured only. */
  goalMs: number | null;
  summary: Summary;
}
export interface DataReport {
  sizes: LoadSizes;
  load: LoadResult;
  seedSeconds: number;
  picks: Picks;
  views: { manager: string; rep: string; managerRows: number; repRows: number };
  rows: FigureRow[];
  /** Per keyword: matches in each view and p95 in each view. */
  keywords: Array<Keyword & { managerHits: string; repHits: string; managerP95: number; repP95: number }>;
  exported: ExportOutcome;
  rssGoalMb: number;
  requests: number;
  warmup: number;
  seriesSeconds: number;
}

const MB = 1024 * 1024;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const n = (v: number) => v.toLocaleString('en-US');
const verdict = (value: number, goal: number | null) => (goal === null ? '' : value < goal ? 'met' : '**missed**');

function figureTable(r: DataReport): string[] {
  const lines = [
    '| figure | view | goal (p95) | requests | p50 | p95 | p99 | max | |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.rows) {
    const s = row.summary;
    const goal = row.goalMs === null ? '(measure)' : `< ${row.goalMs} ms`;
    const cells = [row.figure, row.view, goal, n(s.n), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), verdict(s.p95, row.goalMs)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const e = r.exported;
  const window = `${r.picks.exportWindow.from} to ${r.picks.exportWindow.to}`;
  lines.push(
    `| export of ${n(e.rows)} customers (created ${window}): time | manager | (measure) | 1 | | ${e.seconds.toFixed(1)} s | | | |`,
  );
  const peak = e.rssPeak / MB;
  lines.push(
    `| same export: node's peak RSS | manager | < ${r.rssGoalMb} MB | 1 | | ${peak.toFixed(0)} MB (${(e.rssBefore / MB).toFixed(0)} MB before) | | | ${verdict(peak, r.rssGoalMb)} |`,
  );
  return lines;
}

function keywordTable(r: DataReport): string[] {
  const lines = ['| keyword | kind | matches (manager / rep) | p95 manager | p95 rep |', '| --- | --- | --- | --- | --- |'];
  for (const k of r.keywords)
    lines.push(`| \`${k.text}\` | ${k.kind} | ${k.managerHits} / ${k.repHits} | ${ms(k.managerP95)} | ${ms(k.repP95)} |`);
  return lines;
}

function loadTable(r: DataReport): string[] {
  const lines = ['| step | wall s | PostgreSQL CPU s |', '| --- | --- | --- |'];
  lines.push(`| fresh database: migrations + demo seed through the services | ${r.seedSeconds.toFixed(1)} | |`);
  for (const s of r.load.steps) lines.push(`| ${s.name} | ${s.seconds.toFixed(1)} | ${s.cpuSeconds.toFixed(1)} |`);
  const total = r.load.steps.reduce((a, s) => a + s.seconds, 0);
  lines.push(`| **bulk load in all** | **${total.toFixed(1)}** | |`);
  return lines;
}

export function renderDataReport(r: DataReport): string {
  const p = r.picks;
  const v = r.views;
  const heavy = r.load.heavy;
  return [
    `# One big team: ${n(r.sizes.customers)} customers, ${n(r.load.activities)} activities, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `\`npm run bench:data -w realtime-server\` (BENCH_DATA_CUSTOMERS=${r.sizes.customers} BENCH_DATA_ACTIVITIES=${r.sizes.activities}):`,
    'one node with production settings (its own process, Redis), real HTTP with bearer tokens. Each figure is',
    `${r.requests} requests after ${r.warmup} of warm-up (fewer where ${r.seriesSeconds} s ran out first: see "requests"), one at a time`,
    '(latency, not throughput), at most 16 a second per user (the production rate limit is 20), in ms unless marked.',
    '',
    ...figureTable(r),
    '',
    `Views: team visibility is \`${p.visibility}\`. The manager (${v.manager}) sees all ${n(v.managerRows)} customers of the team;`,
    `the rep (${v.rep}) sees their own and the pool's, ${n(v.repRows)}${p.visibility === 'owner' ? ' (owner_id = me OR owner_id IS NULL on every list and count)' : ''}.`,
    'Customer list: `GET /api/crm/customers?page=1&limit=20&status=all&sortBy=lastContact&scope=all`, what the mini',
    `program's customer page asks first. Search: the same with \`keyword\`, ${r.keywords.length} keywords in turn (below).`,
    'Dashboard: `GET /api/crm/analytics/{sales,pipeline,activities}?period=30d` in parallel, as the dashboard page',
    'loads them; the figure is the time until all three answered, the rows under it each request within it.',
    `Timeline: \`GET /api/crm/customers/:id/activities?limit=50\` of a customer of ${v.rep}'s with ${p.few.n} activities and of`,
    `one with ${n(p.many.n)}. Export: \`POST /api/crm/export\` \`{ type: "customers", filters: { createdFrom, createdTo } }\`, then`,
    `a plain GET of the signed link read to the end (${(r.exported.bytes / MB).toFixed(1)} MB xlsx; rows counted in the file); RSS sampled every 100 ms.`,
    '',
    'Search, per keyword (about one request in twelve each, so each p95 is a rough one):',
    '',
    ...keywordTable(r),
    '',
    '## The data, and why bulk SQL',
    '',
    `The demo database as every bench makes it (migrations through umzug, demo seed through the services), then`,
    `${n(r.sizes.customers)} customers and ${n(r.load.activities)} activities added to the demo team West by SQL`,
    '(INSERT ... SELECT generate_series, bench/big-tenant-load.ts): through the services, each row is a transaction',
    'with its envelope, and 10,000,000 activities would take many hours. Rows are what the product writes: phones',
    "typed in five ways with phone_key as phone.ts makes it (checked against phoneKey), owners the team's real users",
    '(8% in the pool), created over two years with ids in time order, 30% never contacted, activities spread',
    `skewed over the rest (${heavy.length} key accounts with ${n(heavy.at(-1)?.n ?? 0)} to ${n(heavy[0]?.n ?? 0)} each),`,
    'last_contact_at the newest contact record. Indexes and foreign keys are rebuilt from their own definitions',
    "after the rows are in (as pg_restore does; the keys are validated then), then VACUUM ANALYZE. The team's",
    'recycle rule is switched off through `PATCH /api/crm/team/settings` before measuring, so the scheduler does',
    "not hand customers back to the pool in the middle. Deals, tasks and notes stay the demo's.",
    '',
    ...loadTable(r),
    '',
    `Machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (1, 5, 15 min) at the end; PostgreSQL ${p.db.version}, shared_buffers ${p.db.sharedBuffers},`,
    `work_mem ${p.db.workMem}; Node ${process.version}.`,
    '',
  ].join('\n');
}
