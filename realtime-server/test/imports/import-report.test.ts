import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { apply, checked, HEADERS, report, upload, xlsxOf } from './sheets.js';

let cluster: TestCluster;
let url: string;
let mia: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  cluster = await startCluster(1);
  url = cluster.nodes[0]!.url;
  mia = await signIn(url, 'mia');
});
afterAll(() => cluster?.stop());

const customerCount = async (): Promise<number> =>
  Number((await cluster.db.sequelize.query('SELECT count(*)::int AS n FROM customers', { plain: true }))!['n']);

describe('the report of an uploaded sheet', () => {
  it('names every bad row by the row number a person sees in Excel, one finding per bad field, and writes nothing', async () => {
    const before = await customerCount();
    const sheet = await xlsxOf([
      ['张伟', '杭州甲贸易', '13700000001', 'zhang.wei@example.com', '线索', '杭州市西湖区'], // row 2
      ['', '无名公司', '13700000002'], // 3: no name
      ['李娜', '', '12-34'], // 4: not a phone number
      ['王芳', '', '', 'wang@'], // 5: not an e-mail
      ['赵磊', '', '', '', '老客户'], // 6: unknown status
      [], // 7: blank, skipped but counted in the numbering
      ['陈静', 'x'.repeat(201)], // 8: company too long
      ['刘洋', '', '137 0000 0003', '', 'Active'], // 9: English label, spaced phone
      ['', '', 'abc', 'nope'], // 10: three findings on one row
    ]);
    const r = await checked(url, mia.token, sheet);
    expect(r).toMatchObject({ status: 'ready', total: 8, processed: 8, valid: 2, duplicates: 0, invalid: 6, applied: null });
    expect(r.errors.map(({ row, field, code }) => ({ row, field, code }))).toEqual([
      { row: 3, field: 'name', code: 'required' },
      { row: 4, field: 'phone', code: 'invalid_phone' },
      { row: 5, field: 'email', code: 'invalid_email' },
      { row: 6, field: 'status', code: 'invalid_status' },
      { row: 8, field: 'company', code: 'too_long' },
      { row: 10, field: 'name', code: 'required' },
      { row: 10, field: 'phone', code: 'invalid_phone' },
      { row: 10, field: 'email', code: 'invalid_email' },
    ]);
    expect(r.errors[1]!.message).toMatch(/phone number/);
    expect(await customerCount()).toBe(before);
  });

  it('finds duplicates in the file and in the tenant however the phone is written (+86, 0086, spaces, dashes, brackets)', async () => {
    const wes = await signIn(url, 'wes');
    const own = (await mia.send('POST', '/api/crm/customers', { name: '老客户甲', phone: '13712345678' })).body.customer as Customer;
    const west = (await wes.send('POST', '/api/crm/customers', { name: '西区客户', phone: '13766660000' })).body.customer as Customer;
    const sheet = await xlsxOf([
      ['新客户一', '', '+86 137-1234-5678'], // 2: same as own
      ['新客户二', '', '13755550000', 'zhao@example.com'], // 3: new
      ['新客户三', '', '0086 137 5555 0000'], // 4: same phone as row 3
      ['新客户四', '', '', 'ZHAO@example.com '], // 5: same e-mail as row 3 (case and spaces do not matter)
      ['新客户五', '', '+86 (137) 6666-0000'], // 6: another team's customer
      ['新客户六', '', '008613755550000', 'zhao@example.com'], // 7: repeats row 3 both ways
      ['新客户七', '', '1 3 7 0 0 0 0 9 9 9 9'], // 8: new
    ]);
    const before = await customerCount();
    const r = await checked(url, mia.token, sheet);
    expect(r).toMatchObject({ total: 7, valid: 2, duplicates: 5, invalid: 0, errors: [] });
    expect(r.duplicateRows).toEqual([
      expect.objectContaining({ row: 2, field: 'phone', code: 'in_team', customerId: own.id, customerName: '老客户甲' }),
      expect.objectContaining({ row: 4, field: 'phone', code: 'in_file', ofRow: 3 }),
      expect.objectContaining({ row: 5, field: 'email', code: 'in_file', ofRow: 3 }),
      expect.objectContaining({ row: 6, field: 'phone', code: 'other_team' }),
      expect.objectContaining({ row: 7, field: 'phone', code: 'in_file', ofRow: 3 }),
    ]);
    // Another team's customer is not mia's to see: neither its id nor its name is in the report.
    expect(JSON.stringify(r.duplicateRows[3])).not.toContain(String(west.id));
    expect(JSON.stringify(r.duplicateRows[3])).not.toContain('西区客户');
    expect(await customerCount()).toBe(before);
  });

  it('reads a CSV saved by Excel (UTF-8 with BOM, CRLF, quoted commas and line breaks) and one saved as GB18030', async () => {
    const csv = `\ufeff${HEADERS.join(',')}\r\n"周杰","杭州,滨江",13700000101,,潜在客户,"第一行\r\n第二行"\r\n\r\n吴敏,,bad,,,\r\n`;
    const r = await checked(url, mia.token, Buffer.from(csv, 'utf8'), 'customers.csv');
    expect(r).toMatchObject({ total: 2, valid: 1, invalid: 1 });
    // The quoted line break keeps the record on one spreadsheet row: the bad one is row 4.
    expect(r.errors).toEqual([expect.objectContaining({ row: 4, field: 'phone', code: 'invalid_phone' })]);

    const gbk = Buffer.from(new Uint8Array([...encodeGb(`${HEADERS.join(',')}\r\n`), ...encodeGb('孙丽,宁波贸易,13700000102,,活跃,\r\n')]));
    const g = await checked(url, mia.token, gbk, 'gbk.csv');
    expect(g).toMatchObject({ total: 1, valid: 1, invalid: 0 });
  });

  it('stores a formula cell as the text it shows, and a cell that starts with = as text, never as a formula', async () => {
    const sheet = await xlsxOf([
      [{ formula: 'CONCATENATE("公式","客户")', result: '公式客户' }, '', '13700000201'],
      [{ formula: 'HYPERLINK("http://evil.example","点我")' } as never, '', '13700000202'],
      ['=1+1', '=cmd|"/c calc"!A1', '13700000203'],
    ]);
    const r = await checked(url, mia.token, sheet);
    expect(r).toMatchObject({ valid: 3, invalid: 0 });
    const done = await apply(url, mia.token, r.id, { duplicates: 'skip' });
    expect(done.status).toBe(200);
    const names = await cluster.db.sequelize.query<{ name: string; company: string | null }>(
      "SELECT name, company FROM customers WHERE phone IN ('13700000201', '13700000202', '13700000203') ORDER BY phone",
      { type: 'SELECT' as never },
    );
    expect(names).toEqual([
      { name: '公式客户', company: null },
      { name: '=HYPERLINK("http://evil.example","点我")', company: null },
      { name: '=1+1', company: '=cmd|"/c calc"!A1' },
    ]);
  });

  it('an import whose check went silent (its node died) reads as failed, and cannot be applied', async () => {
    const r = await checked(url, mia.token, await xlsxOf([['中断客户', '', '13700000301']]));
    await cluster.db.sequelize.query("UPDATE imports SET status = 'checking', updated_at = now() - interval '3 minutes' WHERE id = :id", {
      replacements: { id: r.id },
    });
    const seen = await report(url, mia.token, r.id);
    expect(seen.body.import.status).toBe('failed');
    const refused = await apply(url, mia.token, r.id, { duplicates: 'skip' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'conflict' } });
  });

  it('answers 202 with the import checking at once, before every row is checked', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`批量${i}`, '', `1371${String(i).padStart(7, '0')}`]);
    const res = await upload(url, mia.token, await xlsxOf(rows));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ import: { id: expect.any(Number), status: 'checking', total: 3000 } });
  });
});

/** GB18030 bytes of a string: Node decodes GB18030 but has no encoder, so the two-byte table is read backwards once. */
let gbTable: Map<string, [number, number]> | null = null;
function encodeGb(text: string): number[] {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([hi, lo]));
        if (!gbTable.has(ch)) gbTable.set(ch, [hi, lo]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      const pair = gbTable.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      out.push(...pair);
    }
  }
  return out;
}
