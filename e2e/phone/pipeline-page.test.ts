// @vitest-environment jsdom
import type { Opportunity, PipelineResponse, Stage } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { formatMoneyCompact } from '../../miniprogram/utils/format';
import { BASE_URL_KEY, requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { appModule, openPage, tap, textOf, type OpenedPage, patchBytes, captureSetData } from '../../miniprogram/test/support/page';

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
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  // As app.ts does at launch: queued changes replay, and moves ride the phone's socket.
  appModule<{ startOfflineQueue(live: unknown): void }>(root, 'services/offline-queue.js').startOfflineQueue(phone.realtime);
  rita = await teammate(server.url, 'rita');
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

const column = (p: OpenedPage, stageId: number) => textOf(p.comp.dom.querySelector(`[data-stage="${stageId}"]`));
/** The card of this deal (titles repeat in the demo data; ids do not), within a stage's column. */
const cardIn = (p: OpenedPage, stageId: number, id: number) => p.comp.dom.querySelector(`[data-stage="${stageId}"] [data-id="${id}"]`);
const hasCard = (p: OpenedPage, stageId: number, id: number) => cardIn(p, stageId, id) !== null;
const tabLabels = (p: OpenedPage) => [...p.comp.dom.querySelectorAll('.t-tabs--t-tabs__item-inner')].map((el) => textOf(el));
const sorted = (res: PipelineResponse): Stage[] => [...res.stages].sort((a, b) => a.position - b.position);

/** Opens the pipeline and waits until it shows the board and the live connection is caught up. */
async function openPipeline(): Promise<OpenedPage> {
  const opened = openPage(root, 'pipeline');
  page = opened;
  await opened.waitFor((text) => text.includes('¥') && !/加载中|Loading/.test(text), 'the board');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return opened;
}

/** Taps the deal card's move button and answers the stage sheet's items. */
async function openMoveSheet(p: OpenedPage, deal: Opportunity) {
  tap(p.comp.querySelector(`#move-${deal.id}`));
  await p.waitFor((text) => text.includes(`将“${deal.title}”移动到`), 'the stage sheet');
  return p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item');
}

function firstDealIn(res: PipelineResponse, stage: Stage): Opportunity {
  const deal = res.opportunities.find((o) => o.stageId === stage.id);
  if (!deal) throw new Error(`no deal in ${stage.name}`);
  return deal;
}

describe('pipeline page against a real server', () => {
  test('shows every stage with its count, the totals, and each deal card', async () => {
    const res = await rita.pipeline();
    const p = await openPipeline();
    const stages = sorted(res);
    expect(tabLabels(p)).toEqual(stages.map((s) => `${ZH_STAGES[s.name]} ${res.opportunities.filter((o) => o.stageId === s.id).length}`));
    expect(p.text()).toContain(`进行中金额${formatMoneyCompact(res.totalValue, 'zh-CN')}`);
    expect(p.text()).toContain(`加权金额${formatMoneyCompact(res.weightedValue, 'zh-CN')}`);
    expect(p.text()).toContain('实时同步中');
    for (const opp of res.opportunities) {
      const col = column(p, opp.stageId);
      expect(col).toContain(opp.title);
      expect(col).toContain(opp.customerName);
      expect(col).toContain(formatMoneyCompact(opp.valueCents, 'zh-CN'));
      if (opp.ownerName) expect(col).toContain(opp.ownerName);
    }
    expect(phone.wx.titles).toContain('销售漏斗');
    expect(phone.wx.liveSocketCount()).toBe(1);
  });

  test("a teammate's move, create and rename patch the page live, each in a small setData", async () => {
    const p = await openPipeline();
    const sent = captureSetData(p);
    const res = await rita.pipeline();
    const [lead, qualified] = sorted(res);
    const deal = firstDealIn(res, lead!);
    const countIn = (stageId: number) => res.opportunities.filter((o) => o.stageId === stageId).length;

    const moved = await rita.move(deal, qualified!.id);
    await p.waitFor(() => hasCard(p, qualified!.id, deal.id), 'the moved deal in its new stage');
    expect(hasCard(p, lead!.id, deal.id)).toBe(false);
    expect(textOf(cardIn(p, qualified!.id, deal.id))).toContain(deal.customerName);
    expect(tabLabels(p).slice(0, 2)).toEqual([`线索 ${countIn(lead!.id) - 1}`, `已确认 ${countIn(qualified!.id) + 1}`]);

    const created = await rita.create({ customerId: deal.customerId, title: '华南新渠道合作', valueCents: 8_800_000, stageId: lead!.id });
    await p.waitFor(() => column(p, lead!.id).includes('华南新渠道合作'), 'the new deal');
    expect(column(p, lead!.id)).toContain('¥8.8万');

    await rita.rename(moved, '年度采购框架协议（续签）');
    await p.waitFor(() => textOf(cardIn(p, qualified!.id, deal.id)).includes('年度采购框架协议（续签）'), 'the renamed deal');

    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const patch of sent) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
      expect(Object.keys(patch)).not.toContain('columns');
    }
    expect(created.id).toBeGreaterThan(0);
  });

  test('moving a deal from the action sheet: shown at once, saved with its version, confirmed by a toast', async () => {
    const p = await openPipeline();
    const res = await rita.pipeline();
    const [, qualified, proposal] = sorted(res);
    const deal = firstDealIn(res, qualified!);
    const items = await openMoveSheet(p, deal);
    expect(items.map((i) => textOf(i.dom))).toEqual(sorted(res).map((s) => ZH_STAGES[s.name]));
    const requestsBefore = phone.wx.requests.length;
    tap(items[2]);
    // Optimistic: the card is in its new stage, marked pending, before the server has answered.
    expect(hasCard(p, proposal!.id, deal.id)).toBe(true);
    expect(cardIn(p, proposal!.id, deal.id)!.className).toContain('card--pending');
    await p.waitFor((text) => text.includes('已移动到“方案”'), 'the confirmation toast');
    // It went over the live socket the page already holds: no HTTP request.
    expect(phone.wx.requests.slice(requestsBefore).map((r) => r.method)).not.toContain('PUT');
    const saved = await rita.get(deal.id);
    expect(saved.stageId).toBe(proposal!.id);
    expect(saved.version).toBe(deal.version + 1);
    expect(hasCard(p, qualified!.id, deal.id)).toBe(false);
  });

  test('a stale move (409) rolls back to the server record and says who moved it', async () => {
    const p = await openPipeline();
    const res = await rita.pipeline();
    const [lead, , proposal, negotiation] = sorted(res);
    const deal = firstDealIn(res, negotiation!);
    // The phone goes deaf, so it keeps the old version while Rita moves the deal.
    phone.realtime.stop();
    await rita.move(deal, lead!.id);
    tap((await openMoveSheet(p, deal))[2]);
    await p.waitFor((text) => text.includes(`王婷刚刚修改了“${deal.title}”`), 'the conflict toast');
    expect(hasCard(p, lead!.id, deal.id)).toBe(true);
    expect(hasCard(p, proposal!.id, deal.id)).toBe(false);
    expect(hasCard(p, negotiation!.id, deal.id)).toBe(false);
    expect((await rita.get(deal.id)).stageId).toBe(lead!.id);
    phone.realtime.start();
  });

  test('pull-down refresh reloads the board and stops the spinner', async () => {
    const p = await openPipeline();
    phone.realtime.stop();
    const res = await rita.pipeline();
    const [, qualified, , , won] = sorted(res);
    const deal = firstDealIn(res, qualified!);
    await rita.move(deal, won!.id);
    await p.call<Promise<void>>('onPullDownRefresh');
    expect(hasCard(p, won!.id, deal.id)).toBe(true);
    expect(phone.wx.pullDownStops).toBe(1);
    phone.realtime.start();
  });

  test('speaks English when the phone does (relaunch, same storage)', async () => {
    phone.wx.uninstall();
    phone = { ...phone, ...(await signedInPhone(root, server.url, 'ray', { language: 'en', storage: phone.storage })) };
    const res = await rita.pipeline();
    const p = await openPipeline();
    const stages = sorted(res);
    expect(p.text()).toContain(`Open pipeline${formatMoneyCompact(res.totalValue, 'en')}`);
    expect(p.text()).toContain('Weighted');
    expect(p.text()).toContain('Live');
    expect(tabLabels(p)[0]).toBe(`Lead ${res.opportunities.filter((o) => o.stageId === stages[0]!.id).length}`);
    expect(p.text()).toMatch(/\d+ deals · ¥[\d.]+[KM]? · Probability 10%/);
    expect(phone.wx.titles.at(-1)).toBe('Pipeline');
    // app.json's tab texts are Chinese: an English phone gets them set when a tab page shows.
    p.call('onShow');
    await expect.poll(() => phone.wx.tabBarTexts).toEqual({ 0: 'Pipeline', 1: 'Customers', 2: 'Tasks', 3: 'Team', 4: 'Dashboard' });
  });

  test('an unreachable server shows the error state; retry recovers', async () => {
    phone.storage.set(BASE_URL_KEY, 'http://127.0.0.1:1');
    const p = openPage(root, 'pipeline');
    page = p;
    await p.waitFor((text) => /网络不可用|No network/.test(text), 'the error state');
    expect(p.text()).toMatch(/重试|Retry/);
    // No "live" promise beside an error.
    expect(p.text()).not.toMatch(/实时同步中|连接中断|Live|Offline/);
    phone.storage.set(BASE_URL_KEY, server.url);
    tap(p.comp.querySelector('.retry'));
    await p.waitFor((text) => text.includes('¥') && !/网络不可用|No network/.test(text), 'the board after retry');
    expect(p.text()).toMatch(/实时同步中|连接中断|Live|Offline/);
  });
});
