import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let rita: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode();
  [ray, rita] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'rita')]);
});
afterAll(() => node.stop());

const count = async (table: string) => {
  const [rows] = await node.cluster.db.sequelize.query(`SELECT count(*)::int AS n FROM ${table}`);
  return (rows as Array<{ n: number }>)[0]!.n;
};
const create = (body: unknown, headers?: Record<string, string>) => ray.send('POST', '/api/crm/customers', body, headers);

describe('POST /api/crm/customers', () => {
  it("creates a customer in the caller's team, owned by them, ignoring teamId/ownerId/tenantId in the body", async () => {
    const res = await create({
      name: ' 钱多多 ',
      company: '宁波港联',
      phone: '138 1111 2222',
      email: 'QIAN@NB.CN',
      status: 'prospect',
      teamId: 999,
      ownerId: 1,
      tenantId: 9,
    });
    expect(res.status).toBe(201);
    expect(res.body.customer).toMatchObject({
      name: '钱多多',
      company: '宁波港联',
      phone: '138 1111 2222',
      email: 'qian@nb.cn',
      status: 'prospect',
      teamId: ray.user.teamId,
      ownerId: ray.user.id,
      lastContactAt: null,
      version: 1,
    });
    expect((await ray.get(`/api/crm/customers/${res.body.customer.id}`)).body.customer).toEqual(res.body.customer);
  });

  it('answers validation errors with 400, code "validation", the bad fields, and writes nothing', async () => {
    const customers = await count('customers');
    const events = await count('team_events');
    const cases: Array<[unknown, string[]]> = [
      [{}, ['name']],
      [{ name: '   ' }, ['name']],
      [{ name: 'X', email: 'not-an-email' }, ['email']],
      [{ name: 'X', phone: '12ab' }, ['phone']],
      [{ name: 'X', status: 'vip' }, ['status']],
      [{ name: 'X'.repeat(201), phone: '1', email: '@' }, ['name', 'phone', 'email']],
    ];
    for (const [body, fields] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(res.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([...fields].sort());
    }
    expect(await count('customers')).toBe(customers);
    expect(await count('team_events')).toBe(events);
  });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const customers = await count('customers');
    const res = await http(node.url, 'POST', '/api/crm/customers', { token: ray.token, raw: '{"name": "半截' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    expect(await count('customers')).toBe(customers);
  });

  it('repeats an Idempotency-Key with one effect and the first answer', async () => {
    const customers = await count('customers');
    const headers = { 'Idempotency-Key': 'create-customer-0001' };
    const body = { name: '重试客户', phone: '13900001111' };
    const [a, b] = [await create(body, headers), await create(body, headers)];
    expect(a.status).toBe(201);
    expect(b.body.customer).toEqual(a.body.customer);
    expect(await count('customers')).toBe(customers + 1);
    const reused = await create({ name: '别的客户' }, headers);
    expect(reused.status).toBe(409);
  });
});

describe('duplicate detection', () => {
  it('the same phone (typed differently) or email (any case) in the tenant answers 409 duplicate with the existing customer', async () => {
    const first = (await create({ name: '孙悦', phone: '13722223333', email: 'sunyue@example.com' })).body.customer as Customer;
    const customers = await count('customers');
    const byPhone = await rita.send('POST', '/api/crm/customers', { name: '孙悦（重复）', phone: '137-2222-3333' });
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error.code).toBe('duplicate');
    expect(byPhone.body.current).toEqual(first);
    const byEmail = await rita.send('POST', '/api/crm/customers', { name: '孙悦', email: 'SunYue@Example.com' });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.current.id).toBe(first.id);
    expect(await count('customers')).toBe(customers);
  });

  it('three spellings of one number are one customer, shown as first typed', async () => {
    const customers = await count('customers');
    const first = await create({ name: '韩梅梅', phone: '138 0013 8000' });
    expect(first.status).toBe(201);
    expect(first.body.customer.phone).toBe('138 0013 8000');
    for (const spelling of ['+86 138-0013-8000', '008613800138000', '(+86) 138.0013.8000', '８６１３８００１３８０００']) {
      const again = await rita.send('POST', '/api/crm/customers', { name: '韩梅梅（重复）', phone: spelling });
      expect(again.status, spelling).toBe(409);
      expect(again.body.error.code).toBe('duplicate');
      expect(again.body.current).toEqual(first.body.customer);
    }
    expect(await count('customers')).toBe(customers + 1);
  });

  it('another team of the tenant holding the phone is a duplicate too, but nothing of its record is disclosed', async () => {
    const will = await signIn(node.url, 'will');
    const west = (
      await will.send('POST', '/api/crm/customers', { name: '西区客户', phone: '135 4444 5555', email: 'west-only@example.com' })
    ).body.customer as Customer;
    const customers = await count('customers');
    for (const body of [
      { name: '同一个人', phone: '+86 135-4444-5555' },
      { name: '同一个人', email: 'WEST-ONLY@example.com' },
    ]) {
      const res = await create(body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('duplicate');
      expect(res.body.error.message).toMatch(/another team/);
      expect(res.body.current).toBeUndefined();
      const text = JSON.stringify(res.body);
      for (const secret of [`:${west.id}`, `:${west.teamId}`, '西区客户']) expect(text, secret).not.toContain(secret);
    }
    const edited = (await create({ name: '东区客户' })).body.customer as Customer;
    const patch = await ray.send('PATCH', `/api/crm/customers/${edited.id}`, { phone: '0086 135 4444 5555', version: edited.version });
    expect(patch.status).toBe(409);
    expect(patch.body.current).toBeUndefined();
    expect(await count('customers')).toBe(customers + 1);
  });

  it('another tenant may hold the same phone', async () => {
    const olga = await signIn(node.url, 'olga');
    await create({ name: '跨租户', phone: '13655556666' });
    expect((await olga.send('POST', '/api/crm/customers', { name: '跨租户', phone: '13655556666' })).status).toBe(201);
  });

  it('of simultaneous creates of the same person exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? ray : rita).send('POST', '/api/crm/customers', { name: `并发 ${i}`, email: 'race@example.com' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'duplicate')).toHaveLength(5);
  });

  it("an edit to another customer's phone is a duplicate as well", async () => {
    const a = (await create({ name: '甲', phone: '13100000001' })).body.customer as Customer;
    const b = (await create({ name: '乙', phone: '13100000002' })).body.customer as Customer;
    const res = await ray.send('PATCH', `/api/crm/customers/${b.id}`, { phone: '131 0000 0001', version: b.version });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate');
    expect(res.body.current.id).toBe(a.id);
    expect((await ray.send('PATCH', `/api/crm/customers/${b.id}`, { phone: '+86 (131) 0000-0001', version: b.version })).status).toBe(409);
    // An edited phone is what later checks compare.
    const moved = (await ray.send('PATCH', `/api/crm/customers/${b.id}`, { phone: '131 0000 0099', version: b.version })).body
      .customer as Customer;
    expect(moved.phone).toBe('131 0000 0099');
    expect((await create({ name: '丙', phone: '+86 13100000099' })).body.current?.id).toBe(b.id);
    expect((await create({ name: '丙', phone: '131-0000-0002' })).status).toBe(201);
    // Keeping one's own phone, however it is typed, is not a duplicate.
    expect(
      (await ray.send('PATCH', `/api/crm/customers/${a.id}`, { phone: '131-0000-0001', name: '甲二', version: a.version })).status,
    ).toBe(200);
  });
});

describe('PATCH /api/crm/customers/:id', () => {
  it('updates with version, and answers a stale edit with 409 and the fresh record', async () => {
    const c = (await create({ name: '周到' })).body.customer as Customer;
    const ok = await ray.send('PATCH', `/api/crm/customers/${c.id}`, { status: 'active', company: '周到商贸', version: c.version });
    expect(ok.status).toBe(200);
    expect(ok.body.customer).toMatchObject({ status: 'active', company: '周到商贸', version: c.version + 1 });
    const stale = await rita.send('PATCH', `/api/crm/customers/${c.id}`, { status: 'inactive', version: c.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.current).toMatchObject({ status: 'active', version: c.version + 1 });
  });

  it('clears an optional field with an empty string and refuses an empty patch or a blank name', async () => {
    const c = (await create({ name: '清空', company: '某公司' })).body.customer as Customer;
    const cleared = await ray.send('PATCH', `/api/crm/customers/${c.id}`, { company: '', version: c.version });
    expect(cleared.body.customer.company).toBeNull();
    expect((await ray.send('PATCH', `/api/crm/customers/${c.id}`, { version: 2 })).status).toBe(400);
    const blank = await ray.send('PATCH', `/api/crm/customers/${c.id}`, { name: '', version: 2 });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.fields[0].path).toBe('name');
    expect((await ray.send('PATCH', `/api/crm/customers/${c.id}`, { name: 'x' })).status).toBe(400);
  });
});
