import { maskPhone } from '../../src/modules/ownership/visibility.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportSigner } from '../../src/modules/export/export.signer.js';
import { signIn } from '../support/clients.js';
import { startTestNode, TEST_JWT_SECRET } from '../support/nodes.js';
import { download, exportLink, readSheets, tokenParts, withToken } from './xlsx.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
type Session = Awaited<ReturnType<typeof signIn>>;
let ray: Session;
let ada: Session;
let olga: Session;
const SHANGHAI = 8 * 3_600_000;
const localDate = (d: Date) => new Date(d.getTime() + SHANGHAI).toISOString().slice(0, 10);

beforeAll(async () => {
  node = await startTestNode();
  [ray, ada, olga] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'ada'), signIn(node.url, 'olga')]);
});
afterAll(() => node.stop());

const models = () => node.cluster.db.models;
const linkFor = async (who: Session, body: unknown) => {
  const res = await exportLink(node.url, who.token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.success).toBe(true);
  return res.url;
};
const sheetOf = async (url: string) => {
  const res = await download(url);
  expect(res.status).toBe(200);
  return (await readSheets(res.body))[0]!;
};

describe('POST /api/crm/export and the signed download', () => {
  it('streams an xlsx that opens and holds exactly the filtered customers, without a bearer token', async () => {
    const url = await linkFor(ray, { type: 'customers', filters: { status: 'active' }, locale: 'en' });
    expect(url).toMatch(new RegExp(`^${node.url}/api/crm/export/download\\?token=`));
    const res = await download(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{8}-\d{4}\.xlsx"$/);
    const [sheet] = await readSheets(res.body);
    expect(sheet!.name).toBe('Customers');
    expect(sheet!.rows[0]).toEqual(['ID', 'Name', 'Company', 'Phone', 'Email', 'Status', 'Owner', 'Address', 'Last contact', 'Created']);
    const want = await models().Customer.findAll({ where: { teamId: ray.user.teamId!, status: 'active' }, order: [['id', 'ASC']] });
    expect(want.length).toBeGreaterThan(0);
    // A rep reads a pool customer's number masked (ARCHITECTURE 9.2), in the sheet as in the app.
    expect(want.some((c) => c.ownerId === null)).toBe(true);
    expect(sheet!.rows.slice(1).map((r) => [r[0], r[1], r[3], r[5]])).toEqual(
      want.map((c) => [c.id, c.name, c.ownerId === null ? maskPhone(c.phone) : c.phone, 'Active']),
    );
  });

  it('writes Chinese headers by default, money in yuan, and filters deals by outcome', async () => {
    const sheet = await sheetOf(await linkFor(ray, { type: 'opportunities', filters: { outcome: 'open' } }));
    expect(sheet.name).toBe('商机');
    expect(sheet.rows[0]!.slice(0, 6)).toEqual(['编号', '名称', '客户', '阶段', '结果', '金额（元）']);
    const stages = await models().Stage.findAll({ where: { teamId: ray.user.teamId!, outcome: 'open' } });
    const want = await models().Opportunity.findAll({
      where: { teamId: ray.user.teamId!, stageId: stages.map((s) => s.id) },
      order: [['id', 'ASC']],
    });
    expect(sheet.rows.slice(1).map((r) => [r[0], r[4], r[5]])).toEqual(want.map((o) => [o.id, '进行中', o.valueCents / 100]));
  });

  it('filters tasks by assignee and activities by type and local dates', async () => {
    const tasks = await sheetOf(await linkFor(ray, { type: 'tasks', filters: { assigneeId: ray.user.id } }));
    const myTasks = await models().Task.findAll({ where: { assigneeId: ray.user.id }, order: [['id', 'ASC']] });
    expect(tasks.rows.slice(1).map((r) => r[0])).toEqual(myTasks.map((t) => t.id));

    const calls = await models().Activity.findAll({ where: { teamId: ray.user.teamId!, type: 'call' }, order: [['id', 'ASC']] });
    const day = localDate(calls[0]!.occurredAt);
    const sheet = await sheetOf(await linkFor(ray, { type: 'activities', filters: { type: 'call', from: day, to: day } }));
    expect(sheet.rows.slice(1).map((r) => r[0])).toEqual(calls.filter((a) => localDate(a.occurredAt) === day).map((a) => a.id));
  });

  it("writes stage names, a follow-up's task title and a stage change in the reader's language", async () => {
    const customer = (await models().Customer.findOne({ where: { teamId: ray.user.teamId! }, order: [['id', 'ASC']] }))!;
    const scheduledDate = new Date(Date.now() + 86_400_000).toISOString();
    const { task } = (await ray.send('POST', '/api/crm/follow-ups', { customerId: customer.id, scheduledDate })).body;
    const stages = await models().Stage.findAll({ where: { teamId: ray.user.teamId! }, order: [['position', 'ASC']] });
    const deal = (await models().Opportunity.findOne({ where: { teamId: ray.user.teamId!, stageId: stages[0]!.id } }))!;
    expect(
      (await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: stages[1]!.id, version: deal.version })).status,
    ).toBe(200);

    for (const [locale, title, change, stage] of [
      ['en', `Follow up with ${customer.name}`, `Moved deal “${deal.title}” from “Lead” to “Qualified”`, 'Qualified'],
      ['zh-CN', `跟进 ${customer.name}`, `将商机“${deal.title}”从“线索”移到“已确认”`, '已确认'],
    ] as const) {
      const tasks = await sheetOf(await linkFor(ray, { type: 'tasks', filters: { assigneeId: ray.user.id }, locale }));
      expect(tasks.rows.find((r) => r[0] === task.id)?.[1]).toBe(title);
      const moves = await sheetOf(await linkFor(ray, { type: 'activities', filters: { type: 'stage-change' }, locale }));
      expect(moves.rows.slice(1).map((r) => r[5])).toContain(change);
      const deals = await sheetOf(await linkFor(ray, { type: 'opportunities', filters: { stageId: stages[1]!.id }, locale }));
      expect(deals.rows.find((r) => r[0] === deal.id)?.[3]).toBe(stage);
    }
  });

  it('reads created dates as Shanghai days, `to` inclusive', async () => {
    const all = await models().Customer.findAll({ where: { teamId: ray.user.teamId! }, order: [['id', 'ASC']] });
    const from = localDate(all[3]!.createdAt);
    const to = localDate(all[6]!.createdAt);
    const sheet = await sheetOf(await linkFor(ray, { type: 'customers', filters: { createdFrom: from, createdTo: to } }));
    const want = all.filter((c) => localDate(c.createdAt) >= from && localDate(c.createdAt) <= to).map((c) => c.id);
    expect(want.length).toBeGreaterThanOrEqual(4);
    expect(sheet.rows.slice(1).map((r) => r[0])).toEqual(want);
  });

  it('pages through thousands of rows by id, each exactly once', async () => {
    const teamId = ray.user.teamId!;
    await models().Customer.bulkCreate(
      Array.from({ length: 2_500 }, (_, i) => ({
        tenantId: ray.user.tenantId,
        teamId,
        name: `批量客户 ${i}`,
        status: 'prospect' as const,
        company: null,
        phone: null,
        email: null,
        address: null,
        ownerId: null,
        lastContactAt: null,
      })),
    );
    const sheet = await sheetOf(await linkFor(ray, { type: 'customers', filters: { keyword: '批量客户' } }));
    const ids = sheet.rows.slice(1).map((r) => r[0] as number);
    expect(ids).toHaveLength(2_500);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
  });

  it('treats % and _ in a keyword as text', async () => {
    const sheet = await sheetOf(await linkFor(ray, { type: 'customers', filters: { keyword: '100%_' } }));
    expect(sheet.rows).toHaveLength(1);
  });
});

describe('export scope', () => {
  it("gives an admin the team they pick or the whole tenant; a rep's teamId changes nothing", async () => {
    const will = await signIn(node.url, 'will');
    const count = (teamId: number) => models().Customer.count({ where: { teamId } });
    const west = await sheetOf(await linkFor(ada, { type: 'customers', filters: { teamId: will.user.teamId! } }));
    expect(west.rows).toHaveLength(1 + (await count(will.user.teamId!)));
    const tenant = await sheetOf(await linkFor(ada, { type: 'customers' }));
    expect(tenant.rows).toHaveLength(1 + (await models().Customer.count({ where: { tenantId: ada.user.tenantId } })));
    const mine = await sheetOf(await linkFor(ray, { type: 'opportunities', filters: { teamId: will.user.teamId! } }));
    expect(mine.rows).toHaveLength(1 + (await models().Opportunity.count({ where: { teamId: ray.user.teamId! } })));
  });

  it("answers 404 for another tenant's team and never exports its rows", async () => {
    expect((await exportLink(node.url, ada.token, { type: 'customers', filters: { teamId: olga.user.teamId } })).status).toBe(404);
    const theirs = await models().Customer.findAll({ where: { tenantId: olga.user.tenantId }, attributes: ['id'] });
    const sheet = await sheetOf(await linkFor(ada, { type: 'customers' }));
    const ids = new Set(sheet.rows.slice(1).map((r) => r[0]));
    expect(theirs.some((c) => ids.has(c.id))).toBe(false);
  });

  it('rejects unknown filter keys, operator objects and unknown types with 400', async () => {
    for (const body of [
      { type: 'customers', filters: { tenantId: 2 } },
      { type: 'customers', filters: { status: { $ne: 'lead' } } },
      { type: 'tasks', filters: { outcome: 'won' } },
      { type: 'invoices' },
      { type: 'activities', filters: { from: '2025-13-01' } },
    ]) {
      const res = await exportLink(node.url, ray.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('refused links', () => {
  it('answers 403 to any change of the signed user, tenant, type, filters or expiry', async () => {
    const url = await linkFor(ray, { type: 'customers', filters: { status: 'lead' } });
    const { payload, signature } = tokenParts(url);
    const changes: Array<Record<string, unknown>> = [
      { userId: olga.user.id },
      { tenantId: olga.user.tenantId },
      { type: 'opportunities' },
      { filters: {} },
      { exp: (payload['exp'] as number) + 3_600_000 },
    ];
    for (const change of changes) {
      const forged = Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url');
      const res = await download(withToken(url, `${forged}.${signature}`));
      expect(res.status, JSON.stringify(change)).toBe(403);
      expect(JSON.parse(res.body.toString()).error.code).toBe('forbidden');
    }
  });

  it('answers 403 to a flipped character, a foreign key and a bare payload; 400 without a token', async () => {
    const url = await linkFor(ray, { type: 'customers' });
    const { token } = tokenParts(url);
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const foreign = createExportSigner('another-secret-that-is-long-enough-0123456789').sign({
      userId: ray.user.id,
      tenantId: ray.user.tenantId,
      type: 'customers',
      filters: {},
      locale: 'en',
    }).token;
    for (const t of [flipped, foreign, token.split('.')[0]!]) expect((await download(withToken(url, t))).status).toBe(403);
    expect((await download(`${node.url}/api/crm/export/download`)).status).toBe(400);
  });

  it('answers 410 to a genuine link past its ten minutes', async () => {
    const url = await linkFor(ray, { type: 'customers' });
    const elevenMinutesAgo = () => Date.now() - 11 * 60_000;
    const { token } = createExportSigner(TEST_JWT_SECRET, undefined, elevenMinutesAgo).sign({
      userId: ray.user.id,
      tenantId: ray.user.tenantId,
      type: 'customers',
      filters: {},
      locale: 'zh-CN',
    });
    const res = await download(withToken(url, token));
    expect(res.status).toBe(410);
    expect(JSON.parse(res.body.toString()).error).toMatchObject({ code: 'gone', message: expect.stringContaining('expired') });
    expect(tokenParts(url).payload['exp']).toBeGreaterThan(Date.now() + 9 * 60_000);
  });
});
