// @vitest-environment jsdom
import type { Customer, TeamFeedResponse } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startCluster, type TestCluster } from '../../realtime-server/test/support/nodes.js';
import { BASE_URL_KEY, requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, dueTodayIso, type Colleague } from '../support/crm';
import { openPage, tap, textOf, type OpenedPage, captureSetData, patchBytes } from '../../miniprogram/test/support/page';

let cluster: TestCluster;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let ray: Colleague;
let rita: Colleague;
let mia: Colleague;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [cluster, root] = await Promise.all([startCluster(2), ensureBuilt()]);
  const [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
  // The rep's phone on node A; teammates act through node B.
  phone = await signedInPhone(root, a, 'ray');
  [ray, rita, mia] = await Promise.all([colleague(a, 'ray'), colleague(b, 'rita'), colleague(b, 'mia')]);
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await cluster?.stop();
});

/** Entries in the order a person sees them (flex `order`: newest first). */
function entries(p: OpenedPage): string[] {
  const nodes = [...p.comp.dom.querySelectorAll('[data-seq]')] as HTMLElement[];
  return nodes.sort((x, y) => Number(x.style.order) - Number(y.style.order)).map((el) => textOf(el));
}

async function open(name: string, ready: (text: string) => boolean): Promise<OpenedPage> {
  const p = (page = openPage(root, name));
  await p.waitFor((text) => ready(text) && !/加载中/.test(text), name);
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

describe('team feed', () => {
  test("shows the team's history newest first, in Chinese, and prepends a teammate's event live", async () => {
    const customer = (await rita.call<{ customers: Customer[] }>('GET', '/api/crm/customers?limit=1')).customers[0]!;
    // Some history: the demo seed writes records, not events.
    for (let i = 1; i <= 25; i++) await rita.call('POST', `/api/crm/customers/${customer.id}/notes`, { content: `第 ${i} 次沟通记录` });
    const { events } = await ray.call<TeamFeedResponse>('GET', '/api/crm/team/feed?limit=20');
    const p = await open('team', (text) => text.includes('通知'));
    expect(entries(p)).toHaveLength(events.length);
    expect(p.comp.dom.querySelectorAll('[data-seq]')[0]?.getAttribute('data-seq')).toBe(String(events[0]!.seq));

    expect(entries(p)[0]).toMatch(new RegExp(`^王王婷刚刚给客户“${customer.name}”添加了备注第 25 次沟通记录$`));
    const sent = captureSetData(p);
    await rita.call('POST', `/api/crm/customers/${customer.id}/notes`, { content: '客户同意下周三上门演示' });
    await p.waitFor(() => entries(p)[0]?.includes('客户同意下周三上门演示') ?? false, 'the new entry on top');
    expect(entries(p)[0]).toMatch(new RegExp(`^王王婷刚刚给客户“${customer.name}”添加了备注客户同意下周三上门演示`));
    const task = await mia.createTask({ title: '跟进报价', dueAt: dueTodayIso(), assigneeId: ray.user.id });
    await p.waitFor(() => entries(p)[0]?.includes('新建了任务“跟进报价”') ?? false, 'the task entry on top');
    expect(entries(p)).toHaveLength(events.length + 2);
    for (const patch of sent.filter((x) => Object.keys(x).some((k) => k.startsWith('entries[')))) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
    }

    const top = p.comp.querySelector(`#entry-${(await ray.call<TeamFeedResponse>('GET', '/api/crm/team/feed?limit=1')).events[0]!.seq}`);
    tap(top);
    expect(phone.wx.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: `/pages/task-detail/index?id=${task.id}` });
  });

  test('pages back through older history on scroll', async () => {
    const p = await open('team', (text) => text.includes('通知'));
    const first = entries(p).length;
    expect(first).toBe(20);
    await p.call<Promise<void>>('loadMore');
    expect(entries(p).length).toBeGreaterThan(first);
    const seqs = [...p.comp.dom.querySelectorAll('[data-seq]')].map((el) => Number(el.getAttribute('data-seq')));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  test('an unreachable server shows the error without a "live" tag beside it; retry brings both back', async () => {
    phone.storage.set(BASE_URL_KEY, 'http://127.0.0.1:1');
    const p = (page = openPage(root, 'team'));
    await p.waitFor((text) => text.includes('网络不可用'), 'the error state');
    expect(p.text()).not.toMatch(/实时更新中|连接中断/);
    phone.storage.set(BASE_URL_KEY, cluster.nodes[0]!.url);
    tap(p.comp.querySelector('.retry'));
    await p.waitFor((text) => !text.includes('网络不可用') && /实时更新中|连接中断/.test(text), 'the feed after retry');
  });
});

describe('notification centre', () => {
  test('the bell and the 动态 tab badge count unread live; the list shows a new notification live; tapping opens it', async () => {
    const p = await open('team', (text) => text.includes('通知'));
    const unread = (await ray.inbox()).unread;
    await expect.poll(() => phone.wx.tabBarBadges[3]).toBe(unread ? String(unread) : undefined);
    const task = await mia.createTask({ title: '确认合同盖章', dueAt: dueTodayIso(), assigneeId: rita.user.id });
    await mia.assign(task.id, ray.user.id);
    await expect.poll(() => phone.wx.tabBarBadges[3], { timeout: 3000 }).toBe(String(unread + 1));
    await p.waitFor(() => textOf(p.comp.dom.querySelector('.main--bell')).startsWith(String(unread + 1)), 'the bell count');
    tap(p.comp.querySelector('#bell'));
    expect(phone.wx.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/notifications/index' });
    page?.close();

    const inbox = await open('notifications', (text) => text.includes('条未读'));
    expect(inbox.text()).toContain(`${unread + 1} 条未读`);
    expect(inbox.text()).toContain(`${mia.user.name}给你分配了任务刚刚确认合同盖章`);
    const another = await mia.createTask({ title: '回访老客户', dueAt: dueTodayIso(), assigneeId: ray.user.id });
    await inbox.waitFor((text) => text.includes(`${unread + 2} 条未读`), 'the live count');
    const rows = [...inbox.comp.dom.querySelectorAll('[data-id]')] as HTMLElement[];
    const top = rows.sort((x, y) => Number(x.style.order) - Number(y.style.order))[0]!;
    expect(textOf(top).startsWith(`${mia.user.name}给你分配了任务刚刚回访老客户`)).toBe(true);
    expect(top.className).toContain('row--unread');

    tap(inbox.comp.querySelector(`#note-${top.getAttribute('data-id')}`));
    expect(phone.wx.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: `/pages/task-detail/index?id=${another.id}` });
    await inbox.waitFor((text) => text.includes(`${unread + 1} 条未读`), 'one fewer unread');
    await expect.poll(async () => (await ray.inbox()).unread).toBe(unread + 1);

    tap(inbox.comp.querySelector('.mark-all'));
    await inbox.waitFor((text) => text.includes('全部已读') && !text.includes('条未读'), 'all read');
    await expect.poll(() => phone.wx.tabBarBadges[3]).toBeUndefined();
    expect((await ray.inbox()).unread).toBe(0);
  });

  test('a notification that arrives on a page without the tab bar still reaches the badge once a tab page is back', async () => {
    const p = await open('notifications', (text) => /未读|已读|暂无通知/.test(text));
    const unread = (await ray.inbox()).unread;
    phone.wx.script.offTabBarPage = true; // e.g. a task detail page is on top
    await mia.createTask({ title: '补充发票信息', dueAt: dueTodayIso(), assigneeId: ray.user.id });
    await p.waitFor((text) => text.includes(`${unread + 1} 条未读`), 'the live count');
    expect(phone.wx.tabBarBadges[3]).toBe(unread ? String(unread) : undefined);
    phone.wx.script.offTabBarPage = false; // back on a tab page
    await expect.poll(() => phone.wx.tabBarBadges[3], { timeout: 5000 }).toBe(String(unread + 1));
  });
});
