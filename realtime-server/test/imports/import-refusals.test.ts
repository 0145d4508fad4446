import { request } from 'node:http';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { apply, checked, HEADERS, report, upload, xlsxOf } from './sheets.js';

let cluster: TestCluster;
let url: string;
let port: number;
let mia: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  cluster = await startCluster(1);
  url = cluster.nodes[0]!.url;
  port = cluster.nodes[0]!.port;
  mia = await signIn(url, 'mia');
});
afterAll(() => cluster?.stop());

const stored = async (): Promise<number> =>
  Number((await cluster.db.sequelize.query('SELECT count(*)::int AS n FROM imports', { plain: true }))!['n']);

/** A PNG's first bytes: what a phone's photo looks like renamed to .xlsx. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a file that cannot be imported is refused at once with a clear reason, and nothing is stored', () => {
  it('not a spreadsheet: a picture renamed .xlsx, a zip that is no workbook, a binary .csv', async () => {
    const zipNotXlsx = Buffer.concat([Buffer.from('504b0304', 'hex'), deflateRawSync(Buffer.from('hello'))]);
    for (const [bytes, name] of [
      [PNG, 'photo.xlsx'],
      [zipNotXlsx, 'archive.xlsx'],
      [Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]), 'data.csv'],
    ] as const) {
      const res = await upload(url, mia.token, bytes, name);
      expect(res.status, name).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation', details: { reason: 'not_spreadsheet' } });
      expect(res.body.error.message).toMatch(/not a spreadsheet/);
    }
    expect(await stored()).toBe(0);
  });

  it('an old .xls workbook is named as such', async () => {
    const res = await upload(url, mia.token, Buffer.from('d0cf11e0a1b11ae1000000000000000000', 'hex'), 'old.xls');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual({ reason: 'xls' });
  });

  it('an empty sheet: the template with nothing under the headers, a sheet with no cells, a 0-byte file', async () => {
    const template = await fetch(`${url}/api/crm/imports/template`, { headers: { authorization: `Bearer ${mia.token}` } });
    const headerOnly = Buffer.from(await template.arrayBuffer());
    for (const [bytes, name] of [
      [headerOnly, 'template.xlsx'],
      [await xlsxOf([], []), 'blank.xlsx'],
      [Buffer.alloc(0), 'zero.csv'],
      [Buffer.from(`${HEADERS.join(',')}\r\n,,,\r\n\r\n`), 'headers.csv'],
    ] as const) {
      const res = await upload(url, mia.token, bytes, name);
      expect(res.status, name).toBe(400);
      expect(res.body.error.details, name).toEqual({ reason: 'empty' });
    }
    expect(await stored()).toBe(0);
  });

  it('a sheet without the name column says which headers it expects', async () => {
    const res = await upload(url, mia.token, await xlsxOf([['a', 'b']], ['foo', 'bar']));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual({ reason: 'no_header' });
    expect(res.body.error.message).toContain('姓名');
  });

  it('10,001 rows are one too many; 10,000 come in', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => [`客户${i}`]);
    const tooMany = await upload(url, mia.token, await xlsxOf(rows));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual({ reason: 'too_many_rows', limit: 10_000 });
    const csv = Buffer.from([HEADERS.join(','), ...rows.map((r) => r[0])].join('\n'));
    expect((await upload(url, mia.token, csv, 'many.csv')).body.error.details).toEqual({ reason: 'too_many_rows', limit: 10_000 });
    expect(await stored()).toBe(0);

    const r = await checked(url, mia.token, await xlsxOf(rows.slice(0, 10_000)));
    expect(r).toMatchObject({ status: 'ready', total: 10_000, valid: 10_000, invalid: 0 });
  });

  it('a 50 MB upload that declares its size gets 413 before any of it is read', async () => {
    const res = await rawUpload({ declared: 50 * 1024 * 1024, send: 0 });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', details: { reason: 'too_large' } });
    expect(res.body.error.message).toMatch(/5 MB/);
  });

  it('a 50 MB upload sent without a length gets 413 once it passes 5 MB, while the rest is still unsent', async () => {
    const before = await stored();
    const res = await rawUpload({ declared: null, send: 50 * 1024 * 1024 });
    expect(res.status).toBe(413);
    expect(res.body.error.details).toMatchObject({ reason: 'too_large' });
    // The answer came while the phone was still sending: the server never took in the whole body.
    expect(res.sentBeforeAnswer).toBeLessThan(20 * 1024 * 1024);
    expect(await stored()).toBe(before);
  });

  it('a rep may not import; a body that is not multipart is a 400', async () => {
    const ray = await signIn(url, 'ray');
    const res = await upload(url, ray.token, await xlsxOf([['张三']]));
    expect(res.status).toBe(403);
    const json = await mia.send('POST', '/api/crm/imports', { file: 'abc' });
    expect(json.status).toBe(400);
    expect(json.body.error.details).toEqual({ reason: 'no_file' });
  });
});

describe('who sees an import', () => {
  it("the uploader's team reads it; another team or tenant gets 404; only the uploader applies it", async () => {
    const r = await checked(url, mia.token, await xlsxOf([['范冰', '', '13700009001']]));
    const ray = await signIn(url, 'ray');
    const ada = await signIn(url, 'ada');
    expect((await report(url, ray.token, r.id)).status).toBe(200);
    expect((await report(url, ada.token, r.id)).status).toBe(200);
    for (const login of ['wes', 'oscar']) {
      const other = await signIn(url, login);
      expect((await report(url, other.token, r.id)).status, login).toBe(404);
      expect((await apply(url, other.token, r.id, { duplicates: 'skip' })).status, login).toBe(404);
    }
    const byRay = await apply(url, ray.token, r.id, { duplicates: 'skip' });
    expect(byRay.status).toBe(403);
    expect((await report(url, mia.token, 999_999)).status).toBe(404);
    expect((await apply(url, mia.token, r.id, { duplicates: 'maybe' })).status).toBe(400);
  });
});

/**
 * A multipart upload over a raw socket, as a phone on a slow link sends it: `declared` as its
 * Content-Length (null: chunked), `send` bytes of file written in 64 KB pieces until the server answers.
 */
function rawUpload({ declared, send }: { declared: number | null; send: number }) {
  return new Promise<{ status: number; body: any; sentBeforeAnswer: number }>((resolve, reject) => {
    const boundary = '----livecrm-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${mia.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    };
    if (declared !== null) headers['content-length'] = declared;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/crm/imports', headers });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), sentBeforeAnswer }));
    });
    // Writes after the server closed the connection fail; the answer is what counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write(head);
    const piece = Buffer.alloc(64 * 1024, 0x41);
    const pump = () => {
      while (!answered && sent < send) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered && send > 0) req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}
