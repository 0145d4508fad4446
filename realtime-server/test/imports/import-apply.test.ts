import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, ImportProgress } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { readSheets } from '../export/xlsx.js';
import { apply, checked, mobiles, ready, report, upload, xlsxOf } from './sheets.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster.stop();
});

async function phone(url: string, login: string) {
  const session = await signIn(url, login);
  const client = await connectWeapp(url, session.token);
  clients.push(client);
  return { ...session, client };
}

const customersWithPhones = (phones: string[]) =>
  cluster.db.sequelize.query<{ id: number; name: string; owner_id: number | null; team_id: number; company: string | null }>(
    'SELECT id, name, owner_id, team_id, company FROM customers WHERE phone IN (:phones) ORDER BY id',
    { replacements: { phones }, type: 'SELECT' as never },
  );

describe('checking an upload, live', () => {
  it("sends import:progress to the uploader's phones only, on whichever node they are, up to the ready report", async () => {
    const mia = await phone(nodeB, 'mia');
    const ray = await phone(nodeB, 'ray');
    const rows = mobiles(1200, '13720').map((m, i) => [`进度客户${i}`, '', m]);
    const accepted = await upload(nodeA, mia.token, await xlsxOf(rows));
    expect(accepted.status).toBe(202);
    const id = accepted.body.import.id as number;
    await ready(nodeA, mia.token, id);
    await expect.poll(() => mia.client.received('import:progress').at(-1)?.status, { timeout: 5000 }).toBe('ready');
    const seen = mia.client.received('import:progress') as ImportProgress[];
    expect(seen.every((p) => p.id === id && p.total === 1200)).toBe(true);
    const counts = seen.map((p) => p.processed);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ id, processed: 1200, total: 1200, status: 'ready' });
    expect(ray.client.received('import:progress')).toEqual([]);
  });
});

describe('applying an import', () => {
  it('writes every row in one go, owned by the importer, and a teammate on another node hears one customers:imported', async () => {
    const mia = await signIn(nodeA, 'mia');
    const rita = await phone(nodeB, 'rita');
    const phones = mobiles(300, '13730');
    const r = await checked(nodeA, mia.token, await xlsxOf(phones.map((m, i) => [`应用客户${i}`, '宁波公司', m, '', '活跃'])));
    const heard = rita.client.next('customers:imported');
    const done = await apply(nodeB, mia.token, r.id, { duplicates: 'skip' });
    expect(done.status).toBe(200);
    expect(done.body.import).toMatchObject({
      id: r.id,
      status: 'applied',
      applied: { created: 300, merged: 0, skipped: 0, toPool: false },
    });
    const env = await heard;
    expect(env).toMatchObject({ type: 'customers:imported', actorId: mia.user.id, data: { importId: r.id, count: 300 } });
    const written = await customersWithPhones(phones);
    expect(written).toHaveLength(300);
    expect(written.every((c) => c.owner_id === mia.user.id && c.team_id === mia.user.teamId)).toBe(true);
    // Another node reads the same applied report.
    expect((await report(nodeB, mia.token, r.id)).body.import.status).toBe('applied');
    await new Promise((res) => setTimeout(res, 200));
    expect(rita.client.received('customers:imported')).toHaveLength(1);
  });

  it('a repeat with the same Idempotency-Key, or another apply of an applied import, answers the first result and changes nothing', async () => {
    const mia = await signIn(nodeA, 'mia');
    const rita = await phone(nodeB, 'rita');
    const phones = mobiles(5, '13740');
    const r = await checked(nodeA, mia.token, await xlsxOf(phones.map((m) => ['重复提交', '', m])));
    const key = { 'Idempotency-Key': `import-apply-${r.id}-0001` };
    const first = await apply(nodeA, mia.token, r.id, { duplicates: 'skip' }, key);
    const again = await apply(nodeB, mia.token, r.id, { duplicates: 'skip' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const otherKey = await apply(nodeB, mia.token, r.id, { duplicates: 'merge', toPool: true });
    expect(otherKey.status).toBe(200);
    expect(otherKey.body).toEqual(first.body);
    const misuse = await apply(nodeA, mia.token, r.id, { duplicates: 'merge' }, key);
    expect(misuse.status).toBe(409);
    expect(await customersWithPhones(phones)).toHaveLength(5);
    await new Promise((res) => setTimeout(res, 300));
    expect(rita.client.received('customers:imported').filter((e) => e.data.importId === r.id)).toHaveLength(1);
  });

  it('writes all rows or none: one row the database refuses leaves every customer unwritten and the import ready', async () => {
    const mia = await signIn(nodeA, 'mia');
    const phones = mobiles(50, '13750');
    const r = await checked(nodeA, mia.token, await xlsxOf(phones.map((m, i) => [i === 37 ? '拒收客户' : `整批客户${i}`, '', m])));
    await cluster.db.sequelize.query("ALTER TABLE customers ADD CONSTRAINT import_test_refuses CHECK (name <> '拒收客户')");
    try {
      const refused = await apply(nodeA, mia.token, r.id, { duplicates: 'skip' });
      expect(refused.status).toBe(500);
      expect(await customersWithPhones(phones)).toEqual([]);
      expect((await report(nodeA, mia.token, r.id)).body.import).toMatchObject({ status: 'ready', applied: null });
    } finally {
      await cluster.db.sequelize.query('ALTER TABLE customers DROP CONSTRAINT import_test_refuses');
    }
    const retried = await apply(nodeA, mia.token, r.id, { duplicates: 'skip' });
    expect(retried.body.import.applied).toMatchObject({ created: 50 });
    expect(await customersWithPhones(phones)).toHaveLength(50);
  });

  it('merge updates the team customer a row repeats and fills its blanks; skip leaves it; the pool takes new ones unowned', async () => {
    const mia = await signIn(nodeA, 'mia');
    const wes = await signIn(nodeA, 'wes');
    const own = (await mia.send('POST', '/api/crm/customers', { name: '合并对象', phone: '13760000001', status: 'lead' })).body
      .customer as Customer;
    const west = (await wes.send('POST', '/api/crm/customers', { name: '西区不动', phone: '13760000002' })).body.customer as Customer;
    const sheet = await xlsxOf([
      ['合并后名字', '合并公司', '+86 137 6000 0001', 'merge@example.com', '活跃'], // 2: merges into own
      ['西区行', '改不了', '13760000002'], // 3: another team's: left alone
      ['公海新客户', '', '13760000003'], // 4: new
      ['公海新客户', '补充公司', '0086 13760000003'], // 5: repeats row 4: folded into it
    ]);
    const r = await checked(nodeA, mia.token, sheet);
    expect(r).toMatchObject({ valid: 1, duplicates: 3 });
    const done = await apply(nodeA, mia.token, r.id, { duplicates: 'merge', toPool: true });
    expect(done.body.import.applied).toMatchObject({ created: 1, merged: 1, skipped: 1, toPool: true, duplicates: 'merge' });
    const merged = (await mia.get(`/api/crm/customers/${own.id}`)).body.customer as Customer;
    expect(merged).toMatchObject({
      name: '合并后名字',
      company: '合并公司',
      phone: '13760000001',
      email: 'merge@example.com',
      status: 'active',
      ownerId: own.ownerId,
      version: own.version + 1,
    });
    expect((await wes.get(`/api/crm/customers/${west.id}`)).body.customer).toEqual(west);
    const [pooled] = await customersWithPhones(['13760000003']);
    expect(pooled).toMatchObject({ name: '公海新客户', company: '补充公司', owner_id: null });
  });

  it('a customer a teammate created between the check and the apply is not made twice', async () => {
    const mia = await signIn(nodeA, 'mia');
    const ray = await signIn(nodeB, 'ray');
    const r = await checked(
      nodeA,
      mia.token,
      await xlsxOf([
        ['先到客户', '', '13770000001'],
        ['另一位', '', '13770000002'],
      ]),
    );
    expect(r.valid).toBe(2);
    await ray.send('POST', '/api/crm/customers', { name: '先到客户', phone: '137-7000-0001' });
    const done = await apply(nodeA, mia.token, r.id, { duplicates: 'skip' });
    expect(done.body.import.applied).toMatchObject({ created: 1, skipped: 1 });
    expect(await customersWithPhones(['13770000001', '137-7000-0001'])).toHaveLength(1);
  });

  it('the template comes back in: download, fill with exceljs, upload, apply; the export reads the names as text', async () => {
    const mia = await signIn(nodeA, 'mia');
    const res = await fetch(`${nodeA}/api/crm/imports/template`, { headers: { authorization: `Bearer ${mia.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const body = Buffer.from(await res.arrayBuffer());
    const [customers, notes] = await readSheets(body);
    expect(customers).toMatchObject({ name: '客户', rows: [['姓名', '公司', '电话', '邮箱', '状态', '地址']] });
    expect(notes!.name).toBe('说明');

    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('客户')!;
    ws.addRow(['模板客户', '模板公司', '13780000001', 'tpl@example.com', '潜在客户', '上海市']);
    ws.addRow(['=SUM(1,2)', '', '13780000002']);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await checked(nodeA, mia.token, filled);
    expect(r).toMatchObject({ total: 2, valid: 2, invalid: 0 });
    await apply(nodeA, mia.token, r.id, { duplicates: 'skip' });
    const [tpl] = await customersWithPhones(['13780000001']);
    expect(tpl).toMatchObject({ name: '模板客户', company: '模板公司' });

    const link = await mia.send('POST', '/api/crm/export', { type: 'customers', filters: { keyword: '13780000002' } });
    const sheet = await readSheets(Buffer.from(await (await fetch(link.body.downloadUrl)).arrayBuffer()));
    expect(sheet[0]!.rows[1]![1]).toBe('=SUM(1,2)');
  });
});
