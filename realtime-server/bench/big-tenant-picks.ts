/**
 * What big-tenant.ts measures with, read from the loaded database before the node starts: the
 * customers whose timelines are timed, the search keywords, the export's date window.
 */
import pg from 'pg';
import type { LoadResult } from './big-tenant-load.js';

export interface Keyword {
  text: string;
  kind: string;
}
export interface Picks {
  visibility: string;
  few: { id: number; n: number };
  many: { id: number; n: number };
  keywords: Keyword[];
  /** Local days (tenant time zone) whose new customers make about the export's row count. */
  exportWindow: { from: string; to: string; rows: number };
  db: { version: string; sharedBuffers: string; workMem: string };
  /** The team's customers the manager sees (all) and the rep (own and pool, in `owner` visibility). */
  rows: { manager: number; rep: number };
}

async function viewRows(client: pg.Client, teamId: number, repId: number): Promise<Picks['rows']> {
  const { rows } = await client.query<{ manager: number; rep: number }>(
    `SELECT count(*)::int AS manager, (count(*) FILTER (WHERE owner_id = $2 OR owner_id IS NULL))::int AS rep
       FROM customers WHERE team_id = $1`,
    [teamId, repId],
  );
  return rows[0]!;
}

/** A customer of the rep's with a handful of records (3 to 5; else the fewest above none). */
async function fewRecords(client: pg.Client, teamId: number, repId: number): Promise<{ id: number; n: number }> {
  const { rows } = await client.query<{ id: number; n: string }>(
    `SELECT c.id, (SELECT count(*) FROM activities a WHERE a.customer_id = c.id) AS n FROM customers c
      WHERE c.team_id = $1 AND c.owner_id = $2 AND c.last_contact_at IS NOT NULL ORDER BY c.id DESC LIMIT 500`,
    [teamId, repId],
  );
  const counted = rows.map((r) => ({ id: r.id, n: Number(r.n) })).filter((r) => r.n > 0);
  const few = counted.find((r) => r.n >= 3 && r.n <= 5) ?? counted.sort((a, b) => a.n - b.n)[0];
  if (!few) throw new Error('no customer of the rep has any activity');
  return few;
}

/**
 * Hits and misses of every kind a rep types: a full name, a two-character name (too short for a
 * trigram), a company, city and company, an e-mail fragment, a phone's last four digits, seven
 * middle digits and the whole number as dashed, and names, companies and numbers nobody has.
 */
async function keywords(client: pg.Client, teamId: number, repId: number): Promise<Keyword[]> {
  const { rows } = await client.query<{ key: string }>(
    `SELECT phone_key AS key FROM customers WHERE team_id = $1 AND owner_id = $2 AND phone_key LIKE '+861%' ORDER BY id DESC LIMIT 1`,
    [teamId, repId],
  );
  const mobile = rows[0]!.key.slice(3);
  return [
    { text: '王建国', kind: 'name' },
    { text: '李娜', kind: 'name, 2 characters' },
    { text: '明达贸易', kind: 'company' },
    { text: '杭州金桥建材', kind: 'city + company' },
    { text: 'chen.jing', kind: 'e-mail fragment' },
    { text: mobile.slice(-4), kind: 'phone, last 4 digits' },
    { text: mobile.slice(2, 9), kind: 'phone, 7 middle digits' },
    { text: `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`, kind: 'phone, whole, dashed' },
    { text: '欧阳锋', kind: 'name, miss' },
    { text: '不存在的公司', kind: 'company, miss' },
    { text: '13300001111', kind: 'phone, miss' },
    { text: '柏翠', kind: '2 characters, miss' },
  ];
}

/** Days counted back from 30 days ago until their new customers reach `target` rows. */
async function exportWindow(client: pg.Client, teamId: number, target: number): Promise<Picks['exportWindow']> {
  const { rows } = await client.query<{ day: string; n: string }>(
    `SELECT to_char(c.created_at AT TIME ZONE t.time_zone, 'YYYY-MM-DD') AS day, count(*) AS n
       FROM customers c JOIN tenants t ON t.id = c.tenant_id
      WHERE c.team_id = $1 AND c.created_at < now() - interval '30 days' GROUP BY 1 ORDER BY 1 DESC`,
    [teamId],
  );
  let sum = 0;
  for (const [i, r] of rows.entries()) {
    sum += Number(r.n);
    // The first day is partial (the cut-off falls inside it): start from the next one.
    if (i === 0) sum = 0;
    if (sum >= target || i === rows.length - 1) return { from: r.day, to: rows[1]?.day ?? r.day, rows: sum };
  }
  throw new Error('no customers to export');
}

export async function pick(url: string, teamId: number, repId: number, load: LoadResult, exportRows: number): Promise<Picks> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const setting = async (sql: string) => Object.values((await client.query<Record<string, string>>(sql)).rows[0]!)[0]!;
    const many = load.heavy.filter((h) => h.ownerId === repId).sort((a, b) => b.n - a.n)[0] ?? load.heavy[0]!;
    return {
      visibility:
        (await client.query<{ v: string }>('SELECT visibility AS v FROM team_settings WHERE team_id = $1', [teamId])).rows[0]?.v ?? 'team',
      few: await fewRecords(client, teamId, repId),
      many: { id: many.id, n: many.n },
      keywords: await keywords(client, teamId, repId),
      exportWindow: await exportWindow(client, teamId, exportRows),
      rows: await viewRows(client, teamId, repId),
      db: {
        version: await setting('SHOW server_version'),
        sharedBuffers: await setting('SHOW shared_buffers'),
        workMem: await setting('SHOW work_mem'),
      },
    };
  } finally {
    await client.end();
  }
}
