// @vitest-environment jsdom
import type { Opportunity, PipelineResponse, Stage } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { http } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { formatMoney } from '../../miniprogram/utils/format';
import { requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { appModule, fire, openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let rita: Awaited<ReturnType<typeof teammate>>;
let page: OpenedPage | null = null;
/** wx.request has no PATCH: the app sends POST + X-HTTP-Method-Override, which the server must honour. */
let serverHonoursOverride = false;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  rita = await teammate(server.url, 'rita');
  const probe = await http(server.url, 'POST', `/api/crm/opportunities/${(await rita.pipeline()).opportunities[0]!.id}`, {
    token: phone.token,
    body: { version: 0 },
    headers: { 'X-HTTP-Method-Override': 'PATCH' },
  });
  serverHonoursOverride = probe.status === 400;
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

const stagesOf = (res: PipelineResponse): Stage[] => [...res.stages].sort((a, b) => a.position - b.position);
async function someDeal(stageIndex: number): Promise<{ deal: Opportunity; stages: Stage[] }> {
  const res = await rita.pipeline();
  const stages = stagesOf(res);
  const deal = res.opportunities.find((o) => o.stageId === stages[stageIndex]!.id)!;
  return { deal, stages };
}

async function openDetail(id: number, action = '移动阶段'): Promise<OpenedPage> {
  const p = (page = openPage(root, 'opportunity-detail', { id: String(id) }));
  await p.waitFor((t) => t.includes(action), 'the deal');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

const input = (p: OpenedPage, field: string, value: string) => fire(p.comp.querySelector(`#field-${field}`), 'change', { value });

describe('opportunity detail', () => {
  test("shows the deal, follows a teammate's move live and names them", async () => {
    const { deal, stages } = await someDeal(2);
    const p = await openDetail(deal.id);
    const text = p.text();
    for (const part of [
      deal.title,
      deal.customerName,
      formatMoney(deal.valueCents),
      '方案 · 50%',
      '客户',
      '负责人',
      '预计成交',
      '最近更新',
    ]) {
      expect(text).toContain(part);
    }
    expect(phone.wx.titles.at(-1)).toBe('商机详情');
    await rita.move(deal, stages[3]!.id);
    await p.waitFor((t) => t.includes('谈判 · 75%'), 'the live stage');
    await p.waitFor((t) => t.includes('王婷刚刚更新了此商机'), 'who changed it');
  });

  test('moves the deal from its action sheet', async () => {
    const { deal } = await someDeal(0);
    const p = await openDetail(deal.id);
    tap(p.comp.querySelector('.move'));
    await p.waitFor((t) => t.includes('赢单'), 'the stage sheet');
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[1]);
    await p.waitFor((t) => t.includes('已确认 · 25%') && t.includes('已移动到“已确认”'), 'the move');
    expect((await rita.get(deal.id)).version).toBe(deal.version + 1);
  });

  test('online, the move goes over the realtime socket, as on the pipeline: no HTTP request', async () => {
    const { deal, stages } = await someDeal(0);
    const p = await openDetail(deal.id);
    const sent = phone.wx.requests.length;
    tap(p.comp.querySelector('.move'));
    await p.waitFor((t) => t.includes('赢单'), 'the stage sheet');
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[2]);
    await p.waitFor((t) => t.includes('方案 · 50%') && t.includes('已移动到“方案”'), 'the move');
    expect(phone.wx.requests.slice(sent).filter((r) => r.method !== 'GET')).toEqual([]);
    const saved = await rita.get(deal.id);
    expect([saved.stageId, saved.version]).toEqual([stages[2]!.id, deal.version + 1]);
  });

  test('offline, the move waits in the queue, shown in its new stage, and is saved once the network is back', async () => {
    const { deal, stages } = await someDeal(1);
    const queue = appModule<{ offlineQueue: { pending(): Array<{ command: unknown }> } }>(root, 'services/offline-queue.js').offlineQueue;
    const p = await openDetail(deal.id);
    phone.wx.setOffline(true);
    await expect.poll(() => phone.realtime.status()).not.toBe('online');
    tap(p.comp.querySelector('.move'));
    await p.waitFor((t) => t.includes('赢单'), 'the stage sheet');
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[3]);
    await p.waitFor((t) => t.includes('谈判 · 75%') && t.includes('离线保存，联网后同步'), 'the pending move');
    expect(queue.pending().map((i) => i.command)).toEqual([
      { type: 'opportunity.move', req: { id: deal.id, stageId: stages[3]!.id, version: deal.version } },
    ]);
    expect((await rita.get(deal.id)).version).toBe(deal.version);

    phone.wx.setOffline(false);
    await expect.poll(() => queue.pending(), { timeout: 10_000 }).toEqual([]);
    const saved = await rita.get(deal.id);
    expect([saved.stageId, saved.version]).toEqual([stages[3]!.id, deal.version + 1]);
    expect(p.text()).toContain('谈判 · 75%');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  });

  test('a closed (won) deal offers reopening into an open stage instead of move and edit', async () => {
    const { deal, stages } = await someDeal(1);
    const won = stages.find((s) => s.outcome === 'won')!;
    const closed = await rita.move(deal, won.id);
    const p = await openDetail(deal.id, '重新打开');
    expect(p.text()).toContain('此商机已赢单，如需修改请先重新打开');
    expect(p.text()).not.toContain('移动阶段');
    expect(p.comp.querySelector('.edit')).toBeFalsy();
    tap(p.comp.querySelector('.reopen'));
    await p.waitFor((t) => t.includes('重新打开到哪个阶段？'), 'the reopen sheet');
    const items = p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item');
    expect(items.map((i) => textOf(i.dom))).toEqual(['线索', '已确认', '方案', '谈判']);
    tap(items[3]);
    await p.waitFor((t) => t.includes('谈判 · 75%') && t.includes('已重新打开到“谈判”'), 'the reopened deal');
    expect(p.text()).toContain('移动阶段');
    const after = await rita.get(deal.id);
    expect(after.stageId).toBe(stages[3]!.id);
    expect(after.version).toBe(closed.version + 1);
  });
});

describe('opportunity form', () => {
  test('creating: inline errors first, then a saved deal with exact cents', async () => {
    const p = (page = openPage(root, 'opportunity-form'));
    await p.waitFor((t) => t.includes('商机名称') && t.includes('线索'), 'the empty form');
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('请填写商机名称') && t.includes('请选择客户') && t.includes('请输入有效金额'), 'inline errors');
    expect(phone.wx.requests.some((r) => r.method === 'POST')).toBe(false);

    input(p, 'title', '西北区年度维保');
    input(p, 'value', '12345.6');
    // Leaving the amount groups its thousands; coming back to it gives the plain digits to edit.
    fire(p.comp.querySelector('#field-value'), 'blur', { value: '12345.6' });
    await p.waitFor(() => (p.comp.instance.data['values'] as { value: string }).value === '12,345.60', 'the grouped amount');
    fire(p.comp.querySelector('#field-value'), 'focus', { value: '12,345.60' });
    await p.waitFor(() => (p.comp.instance.data['values'] as { value: string }).value === '12345.60', 'the plain amount');
    input(p, 'value', '12,345.67');
    fire(p.comp.querySelector('.customer'), 'click');
    await p.waitFor(
      () => (p.comp.querySelector('.sheet')?.querySelectorAll('.t-action-sheet__list-item').length ?? 0) > 0,
      'the customer sheet',
    );
    const firstCustomer = p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[0]!;
    const customerLabel = textOf(firstCustomer.dom);
    tap(firstCustomer);
    // The date comes from a date picker, shown as people read it.
    expect(p.text()).toContain('选择日期');
    fire(p.comp.querySelector('.close-date'), 'click');
    await expect.poll(() => (p.comp.instance.data['datePicker'] as { visible: boolean }).visible).toBe(true);
    fire(p.comp.querySelector('.date-picker'), 'confirm', { value: '2026-12-31' });
    await p.waitFor((t) => t.includes('2026年12月31日'), 'the picked date');
    tap(p.comp.querySelector('.submit'));
    await expect.poll(() => phone.wx.navigations.at(-1)?.kind).toBe('redirectTo');
    const id = Number(/id=(\d+)/.exec(phone.wx.navigations.at(-1)!.url!)![1]);
    const saved = await rita.get(id);
    expect(saved).toMatchObject({ title: '西北区年度维保', valueCents: 1_234_567, expectedCloseDate: '2026-12-31' });
    expect(customerLabel).toContain(saved.customerName);
  });

  test('editing saves with the version and goes back', async (ctx) => {
    if (!serverHonoursOverride) return ctx.skip();
    const { deal } = await someDeal(4);
    const p = (page = openPage(root, 'opportunity-form', { id: String(deal.id) }));
    await expect.poll(() => (p.comp.instance.data['values'] as { title: string }).title).toBe(deal.title);
    input(p, 'title', `${deal.title}（二期）`);
    input(p, 'value', '500000');
    tap(p.comp.querySelector('.submit'));
    await expect.poll(() => phone.wx.navigations.at(-1)?.kind).toBe('navigateBack');
    expect(await rita.get(deal.id)).toMatchObject({ title: `${deal.title}（二期）`, valueCents: 50_000_000, version: deal.version + 1 });
  });

  test("a teammate's earlier edit (409) loads the fresh record and says who", async (ctx) => {
    if (!serverHonoursOverride) return ctx.skip();
    const { deal } = await someDeal(5);
    const p = (page = openPage(root, 'opportunity-form', { id: String(deal.id) }));
    await expect.poll(() => (p.comp.instance.data['values'] as { title: string }).title).toBe(deal.title);
    await rita.rename(deal, '丽塔改过的名字');
    input(p, 'title', '我的改动');
    const navigationsBefore = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('王婷已修改此商机'), 'the conflict notice');
    expect((p.comp.instance.data['values'] as { title: string }).title).toBe('丽塔改过的名字');
    expect(phone.wx.navigations.length).toBe(navigationsBefore);
  });
});
