// @vitest-environment jsdom
import type { Customer, LeaderboardResponse, PipelineResponse, TeamSettingsResponse } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { connectWeapp, type WeappClient } from '../../realtime-server/test/support/weapp.js';
import { formatMoneyCompact } from '../../miniprogram/utils/format';
import { putDown, requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { fire, openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

/** ARCHITECTURE 9.2 and 9.4 on the phone: the pool tab, claims, 转交, the pipeline by rep, the leaderboard, team settings. */
let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>> | null = null;
let page: OpenedPage | null = null;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
});
afterEach(() => {
  putDown(root, phone?.wx ?? null, page);
  phone = null;
  page = null;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

async function open(
  login: string,
  name: string,
  query: Record<string, string> = {},
  ready?: (t: string) => boolean,
  live = true,
): Promise<OpenedPage> {
  phone = await signedInPhone(root, server.url, login);
  const p = (page = openPage(root, name, query));
  await p.waitFor((t) => !t.includes('加载中') && (ready ? ready(t) : true), `${name} loaded`);
  if (live) await expect.poll(() => phone!.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

/** A customer of `owner`'s team sent to the pool now, as a rep would. */
async function poolCustomer(owner: Awaited<ReturnType<typeof signIn>>, name: string): Promise<Customer> {
  const { customer } = (
    await owner.send('POST', '/api/crm/customers', { name, phone: `1391234${String(Date.now() % 10000).padStart(4, '0')}` })
  ).body;
  await owner.send('POST', `/api/crm/customers/${customer.id}/release`, { reason: '测试' });
  return customer;
}

const rowOf = (p: OpenedPage, id: number): Element | null => p.comp.dom.querySelector(`.main--row[data-id="${id}"]`);

describe('the 公海 tab on the customer list', () => {
  test('shows pool rows with 领取, a teammate claiming live (正在被领取), and a claim that makes the row the rep’s', async () => {
    const ray = await signIn(server.url, 'ray');
    const rita = await signIn(server.url, 'rita');
    const target = await poolCustomer(rita, '公海测试客户');
    const p = await open('ray', 'customers');
    expect(p.text()).toContain('我的');
    expect(p.text()).toContain('公海');

    p.call('onScopeChange', { detail: { value: 'pool' } });
    await p.waitFor((t) => t.includes('公海测试客户'), 'the pool row');
    const row = rowOf(p, target.id)!;
    expect(textOf(row)).toContain('领取');
    const pool = (await ray.get(`/api/crm/customers?scope=pool&limit=100`)).body.customers as Customer[];
    expect(p.comp.dom.querySelectorAll('.main--row').length).toBe(pool.length);

    // Rita taps 领取 on her phone: Ray's row says so before her claim answers.
    const ritaPhone = await connectWeapp(server.url, rita.token);
    sockets.push(ritaPhone);
    expect((await ritaPhone.command('customer:claim-started', { customerId: target.id })).ok).toBe(true);
    await p.waitFor((t) => t.includes('王婷 正在被领取'), 'the claiming hint');

    tap(p.comp.querySelector(`#claim-${target.id}`));
    await p.waitFor((t) => t.includes('已领取“公海测试客户”'), 'the claimed toast');
    expect((await ray.get(`/api/crm/customers/${target.id}`)).body.customer.ownerId).toBe(ray.user.id);
    // It left the pool tab; under 我的 it is Ray's, with its number in full.
    await expect.poll(() => (rowOf(p, target.id) as HTMLElement | null)?.hidden ?? true).toBe(true);
  });

  test('a claim that lost the race names who has it; the row leaves the pool live', async () => {
    const rita = await signIn(server.url, 'rita');
    const target = await poolCustomer(rita, '被抢客户');
    const p = await open('ray', 'customers');
    p.call('onScopeChange', { detail: { value: 'pool' } });
    await p.waitFor((t) => t.includes('被抢客户'), 'the pool row');
    phone!.realtime.stop(); // Ray's phone misses the live change: only the 409 can tell him
    await rita.send('POST', `/api/crm/customers/${target.id}/claim`);
    tap(p.comp.querySelector(`#claim-${target.id}`));
    await p.waitFor((t) => t.includes('已被王婷领取'), 'the lost-race toast');
  });
});

describe('owners on the detail pages', () => {
  test('a manager gives a customer to another rep from the owner cell; the page shows the new owner', async () => {
    const ray = await signIn(server.url, 'ray');
    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '转交页面客户' })).body;
    const p = await open('mia', 'customer-detail', { id: String(customer.id) }, (t) => t.includes('转交页面客户'));
    expect(p.text()).toMatch(/负责人\s*李锐/);
    fire(p.comp.querySelector('.owner'), 'click');
    await p.waitFor((t) => t.includes('转交给') && t.includes('王婷'), 'the reassign sheet');
    const labels = (p.comp.instance.data['reassign'] as { items: Array<{ label: string }> }).items.map((i) => i.label);
    const items = p.comp.querySelector('.reassign-sheet')!.querySelectorAll('.t-action-sheet__list-item');
    tap(items[labels.indexOf('王婷')]);
    await p.waitFor((t) => t.includes('已转交给王婷'), 'the reassigned toast');
    expect(p.text()).toMatch(/负责人\s*王婷/);
    expect((await ray.get(`/api/crm/customers/${customer.id}`)).body.customer.ownerId).not.toBe(ray.user.id);
  });

  test('a rep sees a pool customer masked with 领取, and returns a customer of theirs to the pool with a reason', async () => {
    const ray = await signIn(server.url, 'ray');
    const rita = await signIn(server.url, 'rita');
    const pool = await poolCustomer(rita, '详情公海客户');
    let p = await open('ray', 'customer-detail', { id: String(pool.id) }, (t) => t.includes('详情公海客户'));
    expect(p.text()).toMatch(/139\*\*\*\*\d{4}/);
    expect(p.text()).toContain('领取');
    putDown(root, phone!.wx, p);

    const { customer } = (await ray.send('POST', '/api/crm/customers', { name: '退回页面客户' })).body;
    p = await open('ray', 'customer-detail', { id: String(customer.id) }, (t) => t.includes('退回页面客户'));
    page = p;
    tap(p.comp.querySelector('.release'));
    fire(p.comp.querySelector('.release-reason'), 'change', { value: '客户今年没有预算' });
    tap(p.comp.querySelector('.release-submit'));
    await p.waitFor((t) => t.includes('已退回公海'), 'the released toast');
    expect((await ray.get(`/api/crm/customers/${customer.id}`)).body.customer.ownerId).toBeNull();
  });
});

describe('manager views', () => {
  test('the pipeline filtered to one rep shows that rep’s deals only', async () => {
    const mia = await signIn(server.url, 'mia');
    const board = (await mia.get<PipelineResponse>('/api/crm/pipeline')).body;
    const p = await open('mia', 'pipeline', {}, (t) => t.includes('负责人'));
    await p.call('onOwnerFilterTap');
    await p.waitFor((t) => t.includes('全部成员') && t.includes('李锐'), 'the owner sheet');
    const labels = (p.comp.instance.data['sheet'] as { items: Array<{ label: string }> }).items.map((i) => i.label);
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[labels.indexOf('李锐')]);
    const ray = board.opportunities.find((o) => o.ownerName === '李锐')!;
    await p.waitFor((t) => /负责人\s*李锐/.test(t), 'the filter label');
    expect(ray).toBeDefined();
    await requestsSettled(phone!.wx);
    await expect.poll(() => [...new Set([...p.comp.dom.querySelectorAll('.main--card__owner')].map((el) => textOf(el)))]).toEqual(['李锐']);
  });

  test("the dashboard's leaderboard moves at once when a rep wins a deal, without reading it again", async () => {
    const rita = await signIn(server.url, 'rita');
    const p = await open('mia', 'dashboard', {}, (t) => t.includes('本月业绩榜'));
    const before = (await rita.get<LeaderboardResponse>('/api/crm/analytics/leaderboard')).body.rows.find(
      (r) => r.userId === rita.user.id,
    )!;
    expect(p.text()).toContain(formatMoneyCompact(before.wonValueCents));
    const reads = phone!.wx.requests.filter((r) => r.url.includes('/leaderboard')).length;

    const pipeline = (await rita.get<PipelineResponse>('/api/crm/pipeline')).body;
    const customer = (await rita.send('POST', '/api/crm/customers', { name: '榜单客户' })).body.customer;
    const { opportunity } = (
      await rita.send('POST', '/api/crm/opportunities', { customerId: customer.id, title: '榜单大单', valueCents: 88_800_000 })
    ).body;
    const won = pipeline.stages.find((s) => s.outcome === 'won')!;
    await rita.send('PUT', `/api/crm/opportunities/${opportunity.id}/move`, { stageId: won.id, version: opportunity.version });

    const after = formatMoneyCompact(before.wonValueCents + 88_800_000);
    await p.waitFor((t) => t.includes(after), 'the leaderboard patched live');
    expect(phone!.wx.requests.filter((r) => r.url.includes('/leaderboard')).length).toBe(reads);
    const fresh = (await rita.get<LeaderboardResponse>('/api/crm/analytics/leaderboard')).body.rows.find((r) => r.userId === rita.user.id)!;
    expect(fresh.wonValueCents).toBe(before.wonValueCents + 88_800_000);
  });

  test('team settings: the manager changes the pool rules and a rep’s target, and the server has them', async () => {
    const mia = await signIn(server.url, 'mia');
    const p = await open('mia', 'team-settings', {}, (t) => t.includes('公海规则'), false);
    const settings = (await mia.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings;
    expect(p.text()).toContain('本月业绩目标');
    fire(p.comp.querySelector('.claim-limit'), 'change', { value: '7' });
    const names = (p.comp.instance.data['targets'] as Array<{ name: string }>).map((r) => r.name);
    expect(p.text()).toContain('李锐');
    fire(p.comp.querySelectorAll('.target')[names.indexOf('李锐')], 'change', { value: '50000' });
    tap(p.comp.querySelector('.save'));
    await p.waitFor((t) => t.includes('已保存'), 'the saved toast');
    const now = (await mia.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings;
    expect(now).toMatchObject({ claimLimitPerDay: 7, visibility: settings.visibility, recycleAfterDays: settings.recycleAfterDays });
    const board = (await mia.get<LeaderboardResponse>('/api/crm/analytics/leaderboard')).body;
    expect(board.rows.some((r) => r.targetCents === 5_000_000)).toBe(true);
  });
});
