// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import type { ReportResponse, WeeklyTeamReport } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { readSheets } from '../../realtime-server/test/export/xlsx.js';
import { formatMoneyCompact } from '../../miniprogram/utils/format';
import { requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let mia: Awaited<ReturnType<typeof signIn>>;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'mia');
  mia = await signIn(server.url, 'mia');
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
});

async function report(weekStart?: string): Promise<WeeklyTeamReport> {
  const res = await mia.send<ReportResponse>('POST', '/api/crm/reports/generate', {
    type: 'weekly-team',
    parameters: weekStart ? { weekStart } : {},
  });
  return res.body.report;
}

/** Each table row's cells as the user reads them. */
function tableRows(p: OpenedPage): string[][] {
  return [...p.comp.dom.querySelectorAll('.t-table--t-table__tr')].map((tr) =>
    [...tr.querySelectorAll('.t-table--t-table__td')].map((td) => textOf(td)),
  );
}

async function openReport(): Promise<OpenedPage> {
  const opened = openPage(root, 'report');
  page = opened;
  await opened.waitFor((text) => text.includes('合计') && !/加载中/.test(text), 'the report table');
  await requestsSettled(phone.wx);
  return opened;
}

const cellsOf = (name: string, r: WeeklyTeamReport['totals']) => [
  name,
  String(r.calls),
  String(r.meetings),
  String(r.dealsMoved),
  formatMoneyCompact(r.wonValueCents, 'zh-CN'),
  String(r.tasksCompleted),
  String(r.tasksOverdue),
];

describe('weekly report page against a real server', () => {
  test('one row per member with the numbers the server reports, then the totals', async () => {
    const want = await report();
    const p = await openReport();
    expect(tableRows(p)).toEqual([...want.rows.map((r) => cellsOf(r.name, r)), cellsOf('合计', want.totals)]);
    const header = [...p.comp.dom.querySelectorAll('.t-table--t-table__th')].map((th) => textOf(th));
    expect(header).toEqual(['成员', '电话', '会议', '推进', '赢单', '完成', '逾期']);
    expect(phone.wx.titles).toContain('团队周报');
    expect(p.text()).toMatch(/\d+月\d+日 – \d+月\d+日/);
  });

  test('the previous week asks for the Monday before and shows that week', async () => {
    const p = await openReport();
    const current = await report();
    const monday = new Date(Date.parse(`${current.weekStart}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    const want = await report(monday);
    tap(p.comp.querySelector('.week__prev'));
    await expect.poll(() => phone.wx.requests.filter((r) => r.url.endsWith('/reports/generate')).at(-1)?.body).toContain(monday);
    await requestsSettled(phone.wx);
    expect(tableRows(p).at(-1)).toEqual(cellsOf('合计', want.totals));
    expect(p.text()).toContain(`${Number(monday.slice(5, 7))}月${Number(monday.slice(8))}日`);
  });

  test('exports the opportunities as an xlsx WeChat opens, one row per deal', async () => {
    const rita = await teammate(server.url, 'rita');
    const { opportunities } = await rita.pipeline();
    const p = await openReport();
    tap(p.comp.querySelector('#export-opportunities'));
    await expect.poll(() => phone.wx.documents.length, { timeout: 10_000 }).toBe(1);
    const [doc] = phone.wx.documents;
    expect(doc).toMatchObject({ fileType: 'xlsx', showMenu: true });
    const [sheet] = await readSheets(readFileSync(doc!.filePath));
    expect(sheet!.rows.length).toBe(opportunities.length + 1);
    const titles = sheet!.rows.slice(1).flat().map(String);
    for (const opp of opportunities) expect(titles).toContain(opp.title);
  });
});
