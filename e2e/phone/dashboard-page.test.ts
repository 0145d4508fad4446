// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import type {
  ActivityAnalyticsResponse,
  AnalyticsPeriod,
  CustomerListResponse,
  PipelineAnalyticsResponse,
  SalesAnalyticsResponse,
} from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { readSheets } from '../../realtime-server/test/export/xlsx.js';
import { formatMoneyCompact } from '../../miniprogram/utils/format';
import { BASE_URL_KEY, requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { captureSetData, fire, openPage, tap, textOf, type OpenedPage, patchBytes } from '../../miniprogram/test/support/page';

const ZH_STAGES: Record<string, string> = {
  Lead: '线索',
  Qualified: '已确认',
  Proposal: '方案',
  Negotiation: '谈判',
  Won: '赢单',
  Lost: '输单',
};

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let rita: Awaited<ReturnType<typeof teammate>>;
let mia: Awaited<ReturnType<typeof signIn>>;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'mia');
  [rita, mia] = await Promise.all([teammate(server.url, 'rita'), signIn(server.url, 'mia')]);
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

/** What the server answers the manager, fetched independently of the page. */
async function serverView(period: AnalyticsPeriod = '30d', query = '') {
  const get = async <T>(path: string) => (await mia.get<T>(`/api/crm/analytics/${path}?period=${period}${query}`)).body;
  const [sales, pipeline, activities] = await Promise.all([
    get<SalesAnalyticsResponse>('sales'),
    get<PipelineAnalyticsResponse>('pipeline'),
    get<ActivityAnalyticsResponse>('activities'),
  ]);
  return { sales: sales.metrics, window: sales.window, pipeline: pipeline.analytics, activities: activities.analytics };
}

const metricText = (p: OpenedPage, key: string) => textOf(p.comp.dom.querySelector(`[data-metric="${key}"]`));
const section = (p: OpenedPage, id: string) => textOf(p.comp.dom.querySelector(`[data-section="${id}"]`));
const analyticsCalls = (path: string) => phone.wx.requests.filter((r) => r.url.includes(`/api/crm/analytics/${path}`));

async function openDashboard(): Promise<OpenedPage> {
  const opened = openPage(root, 'dashboard');
  page = opened;
  await opened.waitFor((text) => text.includes('赢单金额') && !/加载中/.test(text), 'the metrics');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return opened;
}

describe('dashboard page against a real server', () => {
  test('shows the metrics, funnel, activity legend and stalled deals the server computes', async () => {
    const want = await serverView();
    const p = await openDashboard();
    expect(metricText(p, 'wonValueCents')).toContain(`赢单金额${formatMoneyCompact(want.sales.wonValueCents.current, 'zh-CN')}`);
    expect(metricText(p, 'wonValueCents')).toContain(`上期 ${formatMoneyCompact(want.sales.wonValueCents.previous, 'zh-CN')}`);
    expect(metricText(p, 'wonCount')).toContain(`赢单数${want.sales.wonCount.current}`);
    expect(metricText(p, 'conversionRate')).toContain(`赢单率${(want.sales.conversionRate.current * 100).toFixed(1).replace(/\.0$/, '')}%`);
    expect(metricText(p, 'averageCycleDays')).toContain(`${want.sales.averageCycleDays.current.toFixed(1).replace(/\.0$/, '')}天`);
    expect(metricText(p, 'newPipelineCents')).toContain(formatMoneyCompact(want.sales.newPipelineCents.current, 'zh-CN'));

    const funnel = section(p, 'funnel');
    for (const s of want.pipeline.stages.filter((st) => st.outcome !== 'lost')) {
      expect(funnel).toContain(`${ZH_STAGES[s.name]}${s.count}个${formatMoneyCompact(s.valueCents, 'zh-CN')}`);
    }
    expect(funnel).toContain(`进行中 ${formatMoneyCompact(want.pipeline.openValueCents, 'zh-CN')}`);

    const activity = section(p, 'activities');
    expect(activity).toContain(`共 ${want.activities.total.current} 次`);
    const calls = want.activities.byType.find((b) => b.type === 'call');
    if (calls) expect(activity).toContain(`电话 ${calls.count}`);

    const rotting = section(p, 'rotting');
    expect(rotting).toContain(`停滞商机 ${want.pipeline.rottingCount}`);
    for (const deal of want.pipeline.rotting.slice(0, 8)) expect(rotting).toContain(deal.title);
    expect(phone.wx.titles).toContain('看板');
    expect(p.text()).toContain('实时同步中');
  });

  test('a stalled deal opens its detail; the report row opens the weekly report', async () => {
    const want = await serverView();
    const p = await openDashboard();
    const deal = want.pipeline.rotting[0];
    if (deal) {
      tap(p.comp.querySelectorAll('.deal')[0]); // the idlest deal, in the first slot on first load
      expect(phone.wx.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: `/pages/opportunity-detail/index?id=${deal.id}` });
    }
    fire(p.comp.querySelector('.report-link'), 'click');
    expect(phone.wx.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/report/index' });
  });

  test('switching the period refetches and shows that period', async () => {
    const p = await openDashboard();
    const before = analyticsCalls('sales').length;
    const want = await serverView('7d');
    tap(p.comp.querySelector('.periods')!.querySelectorAll('.t-segmented__item')[0]);
    await expect.poll(() => analyticsCalls('sales').length).toBe(before + 1);
    await requestsSettled(phone.wx);
    expect(analyticsCalls('sales').at(-1)!.url).toContain('period=7d');
    expect(analyticsCalls('activities').at(-1)!.url).toContain('period=7d');
    expect(metricText(p, 'wonValueCents')).toContain(`赢单金额${formatMoneyCompact(want.sales.wonValueCents.current, 'zh-CN')}`);
    expect(section(p, 'activities')).toContain(`共 ${want.activities.total.current} 次`);
  });

  test("a teammate's moves to Won refresh the numbers once, ~1.5 s after the last move, in small patches", async () => {
    const p = await openDashboard();
    const before = await serverView();
    const sent = captureSetData(p);
    const board = await rita.pipeline();
    const won = board.stages.find((st) => st.outcome === 'won')!;
    const open = board.opportunities.filter((o) => board.stages.find((st) => st.id === o.stageId)?.outcome === 'open');
    const [a, b] = open;
    const salesCalls = analyticsCalls('sales').length;

    const started = Date.now();
    await rita.move(a!, won.id);
    await rita.move(b!, won.id);
    const wonCents = before.sales.wonValueCents.current + a!.valueCents + b!.valueCents;
    const wonText = `赢单金额${formatMoneyCompact(wonCents, 'zh-CN')}`;
    expect(formatMoneyCompact(wonCents, 'zh-CN')).not.toBe(formatMoneyCompact(before.sales.wonValueCents.current, 'zh-CN'));
    expect(metricText(p, 'wonValueCents')).not.toContain(wonText); // debounced: not yet
    await p.waitFor(() => metricText(p, 'wonValueCents').includes(wonText), 'the new won value', 6000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const after = await serverView();
    expect(after.sales.wonValueCents.current).toBe(wonCents);
    expect(metricText(p, 'wonCount')).toContain(`赢单数${after.sales.wonCount.current}`);
    expect(section(p, 'funnel')).toContain(`赢单${after.pipeline.stages.find((st) => st.outcome === 'won')!.count}个`);

    // Both moves landed inside one debounce window: one refetch, and no second one later.
    await new Promise((r) => setTimeout(r, 1800));
    expect(analyticsCalls('sales').length).toBe(salesCalls + 1);
    expect(sent.length).toBeGreaterThan(0);
    for (const patch of sent) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
      expect(Object.keys(patch)).not.toContain('view');
    }
  });

  test('behind another tab it only remembers that numbers changed, and refreshes when shown again', async () => {
    const p = await openDashboard();
    const board = await rita.pipeline();
    const won = board.stages.find((st) => st.outcome === 'won')!;
    const deal = board.opportunities.find((o) => board.stages.find((st) => st.id === o.stageId)?.outcome === 'open')!;
    const salesCalls = analyticsCalls('sales').length;
    p.call('onHide');
    await rita.move(deal, won.id);
    await new Promise((r) => setTimeout(r, 2000));
    expect(analyticsCalls('sales').length).toBe(salesCalls);
    const after = await serverView();
    p.call('onShow');
    await p.waitFor(
      () => metricText(p, 'wonValueCents').includes(formatMoneyCompact(after.sales.wonValueCents.current, 'zh-CN')),
      'the refreshed won value',
    );
    expect(analyticsCalls('sales').length).toBe(salesCalls + 1);
  });

  test('the activity chart is drawn on the canvas node at the device pixel ratio, one bar per day', async () => {
    const p = await openDashboard();
    const drawn: Array<{ op: string; args: unknown[] }> = [];
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (target, key: string) =>
        key in target
          ? target[key]
          : (...args: unknown[]) => {
              drawn.push({ op: key, args });
            },
      set: (target, key: string, value) => {
        target[key] = value;
        return true;
      },
    });
    const canvas = { width: 0, height: 0, getContext: () => ctx };
    // Stands in for WeChat's canvas 2d node, which jsdom does not have.
    p.comp.instance['createSelectorQuery'] = () => ({
      select: (selector: string) => ({
        fields: (fields: object) => ({
          exec: (cb: (res: unknown[]) => void) => {
            expect([selector, fields]).toEqual(['#activity-chart', { node: true, size: true }]);
            setTimeout(() => cb([{ node: canvas, width: 311, height: 160 }]), 0);
          },
        }),
      }),
    });
    const want = await serverView('7d');
    tap(p.comp.querySelector('.periods')!.querySelectorAll('.t-segmented__item')[0]);
    await expect.poll(() => drawn.filter((d) => d.op === 'fillText').length).toBeGreaterThan(0);
    expect([canvas.width, canvas.height]).toEqual([622, 320]);
    expect(drawn[0]).toEqual({ op: 'scale', args: [2, 2] });
    const labels = drawn.filter((d) => d.op === 'fillText').map((d) => String(d.args[0]));
    const lastDay = want.window.current.lastDay;
    expect(labels).toContain(`${Number(lastDay.slice(5, 7))}/${Number(lastDay.slice(8))}`);
    const bars = drawn.filter((d) => d.op === 'fillRect');
    expect(bars.length).toBe(want.activities.perDayByType.length);
  });

  test("export: a signed link, the xlsx downloaded and opened in WeChat, holding the team's customers", async () => {
    const p = await openDashboard();
    const { total } = (await mia.get<CustomerListResponse>('/api/crm/customers?limit=1')).body;
    tap(p.comp.querySelector('#export-customers'));
    await expect.poll(() => phone.wx.documents.length, { timeout: 10_000 }).toBe(1);
    const exportCall = phone.wx.requests.find((r) => r.url.endsWith('/api/crm/export'))!;
    expect(JSON.parse(String(exportCall.body))).toEqual({ type: 'customers', filters: {}, locale: 'zh-CN' });
    const [doc] = phone.wx.documents;
    expect(doc).toMatchObject({ fileType: 'xlsx', showMenu: true });
    expect(phone.wx.downloads[0]!.url).toContain('/api/crm/export/download?token=');
    const [sheet] = await readSheets(readFileSync(doc!.filePath));
    expect(sheet!.rows.length).toBe(total + 1);
    expect(String(sheet!.rows[0]![0])).toMatch(/[\u4e00-\u9fff]/); // Chinese headers for a Chinese phone
    expect(phone.wx.loading).toBe(false);

    // Activities follow the period on screen.
    const want = await serverView();
    tap(p.comp.querySelector('#export-activities'));
    await expect.poll(() => phone.wx.documents.length, { timeout: 10_000 }).toBe(2);
    const body = JSON.parse(String(phone.wx.requests.filter((r) => r.url.endsWith('/api/crm/export')).at(-1)!.body));
    expect(body.filters).toEqual({ from: want.window.current.firstDay, to: want.window.current.lastDay });
    const [activities] = await readSheets(readFileSync(phone.wx.documents[1]!.filePath));
    expect(activities!.rows.length).toBe(want.activities.total.current + 1);
  });

  test('an export that cannot reach the server says so and keeps the dashboard', async () => {
    const p = await openDashboard();
    phone.storage.set(BASE_URL_KEY, 'http://127.0.0.1:1');
    tap(p.comp.querySelector('#export-tasks'));
    await p.waitFor((text) => text.includes('导出失败：网络不可用'), 'the failure toast');
    expect(p.text()).toContain('赢单金额');
    expect(phone.wx.loading).toBe(false);
    phone.storage.set(BASE_URL_KEY, server.url);
  });

  test('an unreachable server shows the error state; retry recovers', async () => {
    phone.storage.set(BASE_URL_KEY, 'http://127.0.0.1:1');
    const p = openPage(root, 'dashboard');
    page = p;
    await p.waitFor((text) => text.includes('网络不可用'), 'the error state');
    // No "live" promise beside an error.
    expect(p.text()).not.toMatch(/实时同步中|连接中断/);
    phone.storage.set(BASE_URL_KEY, server.url);
    tap(p.comp.querySelector('.retry'));
    await p.waitFor((text) => text.includes('赢单金额'), 'the dashboard after retry');
    expect(p.text()).toMatch(/实时同步中|连接中断/);
  });

  test("an admin picks a team; the numbers are that team's", async () => {
    phone.realtime.forget();
    phone.wx.uninstall();
    phone = await signedInPhone(root, server.url, 'ada');
    const ada = await signIn(server.url, 'ada');
    const { teams } = (await ada.get<{ teams: Array<{ id: number; name: string }> }>('/api/crm/analytics/teams')).body;
    const west = teams.find((team) => team.name === '华西组')!;
    const westSales = (await ada.get<SalesAnalyticsResponse>(`/api/crm/analytics/sales?period=30d&teamId=${west.id}`)).body;
    const p = openPage(root, 'dashboard');
    page = p;
    await p.waitFor((text) => text.includes('全部团队') && text.includes('赢单金额'), 'the all-teams dashboard');
    await requestsSettled(phone.wx);
    tap(p.comp.querySelector('.team'));
    const items = p.comp.querySelector('.team-sheet')!.querySelectorAll('.t-action-sheet__list-item');
    expect(items.map((i) => textOf(i.dom))).toEqual(['全部团队', ...teams.map((team) => team.name)]);
    tap(items[teams.indexOf(west) + 1]);
    await expect.poll(() => analyticsCalls('sales').at(-1)?.url).toContain(`teamId=${west.id}`);
    await requestsSettled(phone.wx);
    expect(p.text()).toContain('华西组');
    expect(metricText(p, 'wonValueCents')).toContain(`赢单金额${formatMoneyCompact(westSales.metrics.wonValueCents.current, 'zh-CN')}`);
  });

  test('speaks English when the phone does', async () => {
    phone.realtime.forget();
    phone.wx.uninstall();
    phone = await signedInPhone(root, server.url, 'mia', { language: 'en' });
    const want = await serverView();
    const p = openPage(root, 'dashboard');
    page = p;
    await p.waitFor((text) => text.includes('Won value') && !text.includes('Loading'), 'the English dashboard');
    expect(metricText(p, 'wonValueCents')).toContain(`Won value${formatMoneyCompact(want.sales.wonValueCents.current, 'en')}`);
    expect(metricText(p, 'wonValueCents')).toContain(`Before: ${formatMoneyCompact(want.sales.wonValueCents.previous, 'en')}`);
    expect(section(p, 'funnel')).toContain('Stage funnel');
    expect(p.text()).toContain('Weekly report');
    expect(phone.wx.titles.at(-1)).toBe('Dashboard');
  });
});
