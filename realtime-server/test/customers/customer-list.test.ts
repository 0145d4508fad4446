import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse } from '@live-crm/shared-types';
import { listCustomerIds } from '../../src/modules/customers/customer-list.js';
import { CustomerListQuery } from '../../src/modules/customers/customer.schemas.js';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let rita: Awaited<ReturnType<typeof signIn>>;
let olga: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode();
  [ray, rita, olga] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'rita'), signIn(node.url, 'olga')]);
});
afterAll(() => node.stop());

type Who = typeof ray;
const list = async (who: Who, query: string) => {
  const res = await who.get<CustomerListResponse>(`/api/crm/customers?${query}`);
  expect(res.status).toBe(200);
  return res.body;
};
let seq = 0;
const addCustomer = async (who: Who, name: string) => {
  seq += 1;
  const res = await who.send('POST', '/api/crm/customers', { name, phone: `1590000${String(seq).padStart(4, '0')}` });
  expect(res.status).toBe(201);
  return res.body.customer as Customer;
};
const everything = async (who: Who, sortBy: string) => (await list(who, `sortBy=${sortBy}&limit=100`)).customers.map((c) => c.id);

/** Pages through with `page`, letting a teammate add customers between every two fetches. */
async function pageThroughWhileAdding(sortBy: string) {
  const before = await everything(ray, sortBy);
  const seen: number[] = [];
  const added: number[] = [];
  for (let page = 1; page < 50; page++) {
    const body = await list(ray, `sortBy=${sortBy}&limit=7&page=${page}`);
    seen.push(...body.customers.map((c) => c.id));
    if (!body.hasMore) break;
    for (let i = 0; i < 2; i++) added.push((await addCustomer(rita, `插入客户 ${sortBy} ${page}-${i}`)).id);
  }
  return { before, seen, added };
}

describe('GET /api/crm/customers paging', () => {
  it('never repeats or skips a row with page=N while teammates add customers (lastContact, the default order)', async () => {
    const { before, seen, added } = await pageThroughWhileAdding('lastContact');
    expect(new Set(seen).size).toBe(seen.length);
    // Every customer that existed is seen exactly once, in its original order, and new ones come after them.
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(seen.slice(before.length)).toEqual(added);
  });

  it('never repeats or skips a row with page=N while teammates add customers (createdAt)', async () => {
    const { before, seen, added } = await pageThroughWhileAdding('createdAt');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(seen.slice(before.length)).toEqual(added);
  });

  it('following nextCursor survives inserts that sort before the reader, and a customer moving up on a contact', async () => {
    const before = await everything(ray, 'name');
    const seen: number[] = [];
    let cursor: string | null | undefined;
    let round = 0;
    do {
      const body = await list(ray, `sortBy=name&limit=6${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.customers.map((c) => c.id));
      cursor = body.nextCursor;
      // Names starting with "A" sort before every Chinese name already read.
      await addCustomer(rita, `A ${round++}`);
    } while (cursor && round < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);

    const byContact = await everything(ray, 'lastContact');
    const first = await list(ray, 'sortBy=lastContact&limit=5');
    const later = byContact[12]!;
    // A teammate calls a customer further down: it jumps to the top of the list.
    await rita.send('POST', '/api/crm/communications', { customerId: later, type: 'call', direction: 'outbound', status: 'completed' });
    const rest: number[] = [];
    cursor = first.nextCursor;
    while (cursor && rest.length < 500) {
      const body = await list(ray, `sortBy=lastContact&limit=5&cursor=${cursor}`);
      rest.push(...body.customers.map((c) => c.id));
      cursor = body.nextCursor;
    }
    const all = [...first.customers.map((c) => c.id), ...rest];
    expect(new Set(all).size).toBe(all.length);
    expect(byContact.filter((id) => id !== later).every((id) => all.includes(id))).toBe(true);
  });

  it('orders with the id tie-breaker: never-contacted customers last, by id', async () => {
    const { customers } = await list(ray, 'sortBy=lastContact&limit=100');
    const contacted = customers.filter((c) => c.lastContactAt !== null);
    const never = customers.filter((c) => c.lastContactAt === null);
    expect(customers).toEqual([...contacted, ...never]);
    expect(contacted.map((c) => c.lastContactAt)).toEqual(
      contacted
        .map((c) => c.lastContactAt)
        .sort()
        .reverse(),
    );
    expect(never.map((c) => c.id)).toEqual(never.map((c) => c.id).sort((a, b) => a - b));
    const byName = (await list(ray, 'sortBy=name&limit=100')).customers.map((c) => c.name);
    expect(byName).toEqual([...byName].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0)));
  });

  it('answers total and hasMore, filters by status', async () => {
    const all = await list(ray, 'limit=100');
    const leads = await list(ray, 'status=lead&limit=3');
    expect(leads.customers.every((c) => c.status === 'lead')).toBe(true);
    expect(leads.total).toBe(all.customers.filter((c) => c.status === 'lead').length);
    expect(leads.hasMore).toBe(leads.total > 3);
    const last = await list(ray, `status=lead&limit=3&page=${Math.ceil(leads.total / 3)}`);
    expect(last.hasMore).toBe(false);
    expect(last.nextCursor).toBeNull();
    expect([all.totalCapped, leads.totalCapped]).toEqual([false, false]);
  });

  it('counts the total up to the cap, then says more match (a team of a million is not counted on every page)', async () => {
    const all = await list(ray, 'limit=100');
    const q = CustomerListQuery.parse({ limit: '5' });
    const owner = { me: ray.user.id, restrictTo: null };
    const capped = await listCustomerIds(node.db.sequelize, q, [ray.user.teamId!], owner, { cap: 4 });
    expect({ total: capped.total, totalCapped: capped.totalCapped, ids: capped.ids }).toEqual({
      total: 4,
      totalCapped: true,
      ids: all.customers.slice(0, 5).map((c) => c.id),
    });
    const exact = await listCustomerIds(node.db.sequelize, q, [ray.user.teamId!], owner, { cap: all.total });
    expect({ total: exact.total, totalCapped: exact.totalCapped }).toEqual({ total: all.total, totalCapped: false });
  });

  it('rejects limit over 100, unknown parameters, operator objects and a forged cursor with 400', async () => {
    for (const q of ['limit=101', 'page=0', 'sortBy=id', 'status=vip', 'ownerId=1', 'keyword[$ne]=x', 'name[$gte]=A']) {
      const res = await ray.get(`/api/crm/customers?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    const otherSort = (await list(ray, 'sortBy=name&limit=2')).nextCursor!;
    expect((await ray.get(`/api/crm/customers?sortBy=createdAt&cursor=${otherSort}`)).status).toBe(400);
    expect((await ray.get('/api/crm/customers?cursor=not-a-cursor')).status).toBe(400);
  });
});

describe('keyword search', () => {
  it('matches name, company, phone (however it is typed) and email, case-insensitively', async () => {
    const created = (
      await ray.send('POST', '/api/crm/customers', {
        name: '欧阳娜娜',
        company: '青岛海风渔业有限公司',
        phone: '+86 177-1234-5678',
        email: 'NaNa.OuYang@haifeng.cn',
      })
    ).body.customer as Customer;
    // Two characters (欧阳, 娜娜, 风渔) are too short for the trigram index and take the bigram one.
    for (const keyword of ['欧阳', '娜娜', '风渔', '海风渔业', '1234-5678', '17712345678', 'nana.ouyang', 'HAIFENG']) {
      const body = await list(ray, `keyword=${encodeURIComponent(keyword)}`);
      expect(
        body.customers.map((c) => c.id),
        keyword,
      ).toContain(created.id);
      expect(body.total, keyword).toBe(body.customers.length);
    }
    expect((await list(ray, 'keyword=nothing-like-this')).total).toBe(0);
  });

  it('pages a search by page and by cursor in list order however its page is found, under the count cap or past it', async () => {
    for (let i = 0; i < 7; i++) await addCustomer(rita, `翻页搜索 ${i}`);
    const keyword = '翻页搜索';
    const everything = (await list(ray, `keyword=${encodeURIComponent(keyword)}&sortBy=name&limit=100`)).customers.map((c) => c.id);
    expect(everything).toHaveLength(7);
    const owner = { me: ray.user.id, restrictTo: null };
    const query = (more: Record<string, string>) => CustomerListQuery.parse({ keyword, sortBy: 'name', limit: '3', ...more });
    // hedgeMs 0 and window 100: the page is found among the list's first rows; otherwise the 7 matches
    // are read whole and sorted (sparse 100), or the page walks the list's order (sparse 3).
    const paths = [{ hedgeMs: 0, window: 100 }, { hedgeMs: 0, window: 0 }, { hedgeMs: null }];
    const combos = paths.flatMap((path) => [100, 3].flatMap((sparse) => [100, 3].map((cap) => ({ ...path, sparse, cap }))));
    for (const limits of combos) {
      const label = JSON.stringify(limits);
      const byPage: number[] = [];
      for (let page = 1; page <= 4; page++)
        byPage.push(...(await listCustomerIds(node.db.sequelize, query({ page: String(page) }), [ray.user.teamId!], owner, limits)).ids);
      expect(byPage, label).toEqual(everything);
      const byCursor: number[] = [];
      let cursor: string | null = null;
      do {
        const got = await listCustomerIds(node.db.sequelize, query(cursor ? { cursor } : {}), [ray.user.teamId!], owner, limits);
        byCursor.push(...got.ids);
        expect({ total: got.total, totalCapped: got.totalCapped }, label).toEqual(
          limits.cap === 100 ? { total: 7, totalCapped: false } : { total: 3, totalCapped: true },
        );
        cursor = got.nextCursor;
      } while (cursor);
      expect(byCursor, label).toEqual(everything);
    }
  });

  it('treats % and _ in a keyword as plain characters', async () => {
    const all = await list(ray, 'limit=100');
    expect((await list(ray, `keyword=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await list(ray, `keyword=${encodeURIComponent('_%')}`)).total).toBe(0);
    expect((await list(ray, `keyword=${encodeURIComponent('_')}`)).total).toBeLessThan(all.total);
  });

  it('another tenant never finds the customer, and gets 404 on its id', async () => {
    const mine = (await ray.send('POST', '/api/crm/customers', { name: '保密客户', email: 'secret@east.cn', phone: '13666666666' })).body
      .customer as Customer;
    for (const keyword of ['保密客户', 'secret@east.cn', '13666666666']) {
      expect((await list(olga, `keyword=${encodeURIComponent(keyword)}`)).total).toBe(0);
    }
    expect((await list(olga, 'limit=100')).customers.every((c) => c.teamId === olga.user.teamId)).toBe(true);
    for (const path of ['', '/notes', '/activities', '/messages', '/communications']) {
      const res = await olga.get(`/api/crm/customers/${mine.id}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await olga.send('PATCH', `/api/crm/customers/${mine.id}`, { name: 'x', version: 1 })).status).toBe(404);
  });

  it('a rep of another team in the same tenant does not see it either; the tenant admin does', async () => {
    const will = await signIn(node.url, 'will');
    const ada = await signIn(node.url, 'ada');
    const mine = (await ray.send('POST', '/api/crm/customers', { name: '东区独家' })).body.customer as Customer;
    expect((await list(will, `keyword=${encodeURIComponent('东区独家')}`)).total).toBe(0);
    expect((await will.get(`/api/crm/customers/${mine.id}`)).status).toBe(404);
    expect((await list(ada, `keyword=${encodeURIComponent('东区独家')}`)).customers.map((c) => c.id)).toEqual([mine.id]);
    const west = await list(ada, `teamId=${will.user.teamId}&limit=100`);
    expect(west.customers.every((c) => c.teamId === will.user.teamId)).toBe(true);
    // A rep naming another team still lists their own.
    const spoof = await list(ray, `teamId=${will.user.teamId}&limit=100`);
    expect(spoof.customers.every((c) => c.teamId === ray.user.teamId)).toBe(true);
  });
});
