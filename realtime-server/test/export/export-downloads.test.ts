import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { download, exportLink } from './xlsx.js';

/**
 * Downloads reached by a signed link are charged to the link's user: a few at a time across every
 * node, and inside that user's rate limit.
 */
let cluster: TestCluster;
let limited: TestCluster;
const ROWS = 60_000;

beforeAll(async () => {
  [cluster, limited] = await Promise.all([
    startCluster(2, { env: { REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } }),
    startCluster(1, { env: { RATE_LIMIT_BURST: '12', RATE_LIMIT_PER_SEC: '0.1', REMINDER_INTERVAL_MS: '0' } }),
  ]);
  // Enough rows that a download the client does not read cannot finish into socket buffers.
  await cluster.db.sequelize.query(
    `INSERT INTO customers (tenant_id, team_id, name, company, phone, email, status, owner_id, address, created_at, updated_at)
     SELECT u.tenant_id, u.team_id, '大客户 ' || i, '上海明达贸易有限公司 ' || i, '139' || lpad(CAST(i AS text), 8, '0'),
       'big' || i || '@example.cn', 'prospect', u.id, '上海市浦东新区 ' || i || ' 号', now(), now()
     FROM users u, generate_series(1, ${ROWS}) AS i WHERE u.login = 'ray'`,
  );
});
afterAll(() => Promise.all([cluster?.stop(), limited?.stop()]));

/** A download started and held open: headers read, body not (so the server waits on backpressure). */
function hold(url: string): Promise<{ res: IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      res.pause();
      resolve({ res, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const linkOn = async (url: string, token: string, body: unknown = { type: 'customers', filters: { status: 'prospect' } }) => {
  const res = await exportLink(url, token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.url;
};
/** The same signed link served by another node. */
const via = (link: string, nodeUrl: string) => `${nodeUrl}${new URL(link).pathname}${new URL(link).search}`;

describe('signed-link downloads', () => {
  it('a user streams at most 3 at once across nodes; the 4th gets a clear 429 until one ends', async () => {
    const [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
    const ray = await signIn(a, 'ray');
    const link = await linkOn(a, ray.token);
    const held = [await hold(link), await hold(via(link, b)), await hold(link)];
    expect(held.map((h) => h.res.statusCode)).toEqual([200, 200, 200]);

    const fourth = await download(via(link, b));
    expect(fourth.status).toBe(429);
    const body = JSON.parse(fourth.body.toString('utf8'));
    expect(body.error).toEqual({ code: 'rate_limited', message: 'At most 3 downloads at a time; wait for one to finish and try again' });
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);

    // Another user is not held up by ray's downloads.
    const rita = await signIn(b, 'rita');
    expect((await download(await linkOn(b, rita.token, { type: 'tasks' }))).status).toBe(200);

    // One ends (the client goes away): its slot is free again.
    held[0]!.close();
    let again = 429;
    for (let i = 0; i < 50 && again === 429; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(via(link, b));
      again = res.status;
      await res.body?.cancel();
    }
    expect(again).toBe(200);
    for (const h of held) h.close();
  }, 60_000);

  it('downloads draw on the link user’s rate limit, whoever fetches them', async () => {
    const url = limited.nodes[0]!.url;
    const [ray, rita] = await Promise.all([signIn(url, 'ray'), signIn(url, 'rita')]);
    // Budget 12: one export call (1), then downloads at 5 each: two pass, the third is refused.
    const link = await linkOn(url, ray.token, { type: 'tasks' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await download(link)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await download(link);
    expect(JSON.parse(refused.body.toString('utf8')).error.message).toBe('Too many downloads; wait a moment and try again');
    // Rita's link is hers to pay for.
    expect((await download(await linkOn(url, rita.token, { type: 'tasks' }))).status).toBe(200);
  });
});
