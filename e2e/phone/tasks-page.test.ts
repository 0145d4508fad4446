// @vitest-environment jsdom
import type { Task } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startCluster, type TestCluster } from '../../realtime-server/test/support/nodes.js';
import { startFakeWechat, type FakeWechat } from '../../realtime-server/test/notifications/fake-wechat.js';
import { formatDue } from '../../miniprogram/utils/when';
import { requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, dueTodayIso, type Colleague } from '../support/crm';
import { openPage, tap, textOf, type OpenedPage, captureSetData, patchBytes } from '../../miniprogram/test/support/page';

const TEMPLATE = 'tpl-task-reminder';
let cluster: TestCluster;
let wechat: FakeWechat;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let ray: Colleague;
let mia: Colleague;
let page: OpenedPage | null = null;

beforeAll(async () => {
  wechat = await startFakeWechat();
  [cluster, root] = await Promise.all([startCluster(2, { env: wechat.env(TEMPLATE) }), ensureBuilt()]);
  const [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
  // The rep's phone talks to node A; the manager works through node B (fan-out over Redis).
  phone = await signedInPhone(root, a, 'ray');
  [ray, mia] = await Promise.all([colleague(a, 'ray'), colleague(b, 'mia')]);
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await cluster?.stop();
  await wechat?.close();
});

const VIEWS = ['today', 'overdue', 'upcoming'] as const;
const list = (p: OpenedPage, view: string) => textOf(p.comp.dom.querySelector(`[data-view="${view}"]`));
const row = (p: OpenedPage, id: number) => p.comp.dom.querySelector(`[data-row="${id}"]`);
const rowIn = (p: OpenedPage, view: string, id: number) => p.comp.dom.querySelector(`[data-view="${view}"] [data-row="${id}"]`);
const tabLabels = (p: OpenedPage) => [...p.comp.dom.querySelectorAll('.t-tabs--t-tabs__item-inner')].map((el) => textOf(el));
const openCount = (tasks: Task[]) => tasks.filter((t) => t.status !== 'completed').length;

async function serverViews(who: Colleague): Promise<Record<(typeof VIEWS)[number], Task[]>> {
  const [today, overdue, upcoming] = await Promise.all(VIEWS.map((v) => who.tasks(`view=${v}&assigneeId=${who.user.id}`)));
  return { today: today!, overdue: overdue!, upcoming: upcoming! };
}

async function openTasks(): Promise<OpenedPage> {
  const opened = (page = openPage(root, 'tasks'));
  await opened.waitFor((text) => text.includes('今天') && !/加载中/.test(text), 'the task lists');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return opened;
}

describe('tasks page against a real server', () => {
  test("shows the rep's today, overdue and upcoming tasks with open counts, due times in China time, overdue in red", async () => {
    const views = await serverViews(ray);
    expect(views.today.length + views.overdue.length + views.upcoming.length).toBeGreaterThan(2);
    const p = await openTasks();
    // Each tab's label with its badge: the open tasks (no badge at zero).
    expect(tabLabels(p)).toEqual([
      `今天${openCount(views.today) || ''}`,
      `已逾期${openCount(views.overdue) || ''}`,
      `未来7天${openCount(views.upcoming) || ''}`,
    ]);
    for (const view of VIEWS) {
      for (const task of views[view]) {
        expect(list(p, view)).toContain(task.title);
        expect(textOf(rowIn(p, view, task.id))).toContain(formatDue(task.dueAt, Date.now(), 'zh-CN'));
      }
    }
    for (const task of views.overdue) expect(rowIn(p, 'overdue', task.id)!.innerHTML).toContain('row__due--late');
    expect(phone.wx.titles).toContain('任务');
  });

  test('completing a task: checked at once, saved with its version, the badge counts one less', async () => {
    const task = await ray.createTask({ title: '确认样品寄出', type: 'call', dueAt: dueTodayIso() });
    const p = await openTasks();
    await p.waitFor(() => rowIn(p, 'today', task.id) !== null, 'the new task');
    const before = openCount((await serverViews(ray)).today);
    expect(tabLabels(p)[0]).toBe(`今天${before}`);
    tap(p.comp.querySelector(`#check-${task.id}`));
    // Optimistic: done and dimmed before the server answers.
    expect(row(p, task.id)!.className).toContain('row--done');
    expect(row(p, task.id)!.className).toContain('row--pending');
    const put = phone.wx.requests.at(-1)!;
    expect(put.method).toBe('PUT');
    expect(JSON.parse(String(put.body))).toEqual({ status: 'completed', version: task.version });
    await p.waitFor((text) => text.includes('已完成“确认样品寄出”'), 'the confirmation toast');
    expect(row(p, task.id)!.className).not.toContain('row--pending');
    expect(tabLabels(p)[0]).toBe(`今天${before - 1 || ''}`);
    expect((await ray.task(task.id)).status).toBe('completed');
  });

  test('a stale completion (409) rolls back to the server record and says who changed it', async () => {
    const task = await ray.createTask({ title: '回电确认报价', dueAt: dueTodayIso() });
    const p = await openTasks();
    await p.waitFor(() => rowIn(p, 'today', task.id) !== null, 'the task');
    phone.realtime.stop(); // deaf: the phone keeps the old version while the manager edits
    await mia.updateTask(task, { title: '回电确认报价（含运费）' });
    tap(p.comp.querySelector(`#swipe-toggle-${task.id}`));
    await p.waitFor((text) => text.includes('张敏刚刚修改了“回电确认报价（含运费）”'), 'the conflict toast');
    expect(row(p, task.id)!.className).not.toContain('row--done');
    expect(textOf(row(p, task.id))).toContain('回电确认报价（含运费）');
    expect((await ray.task(task.id)).status).toBe('pending');
    phone.realtime.start();
  });

  test("the manager's reassignment moves a task into and out of the rep's list live, in small patches, with a notification", async () => {
    const p = await openTasks();
    const sent = captureSetData(p);
    const rita = (await mia.call<{ members: Array<{ id: number; name: string }> }>('GET', '/api/me')).members.find(
      (m) => m.name === '王婷',
    )!;
    const task = await mia.createTask({
      title: '拜访华东区新客户',
      type: 'meeting',
      priority: 'high',
      dueAt: dueTodayIso(),
      assigneeId: rita.id,
    });
    const unreadBefore = (await ray.inbox()).unread;
    await mia.assign(task.id, ray.user.id);
    await p.waitFor(() => rowIn(p, 'today', task.id) !== null, 'the reassigned task in Today');
    expect(textOf(rowIn(p, 'today', task.id))).toMatch(/拜访华东区新客户.*会议.*高优先级/);
    await p.waitFor((text) => text.includes('张敏给你分配了“拜访华东区新客户”'), 'the toast');
    // The badge on the 动态 tab follows the live notification.
    await expect.poll(() => phone.wx.tabBarBadges[3], { timeout: 3000 }).toBe(String(unreadBefore + 1));

    await mia.assign(task.id, rita.id);
    await p.waitFor(() => rowIn(p, 'today', task.id) === null, 'the task gone from Today');
    await p.waitFor((text) => text.includes('“拜访华东区新客户”已改由王婷负责'), 'the toast');

    const live = sent.filter((patch) => Object.keys(patch).some((k) => k.startsWith('lists.')));
    expect(live.length).toBeGreaterThanOrEqual(2);
    for (const patch of live) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
      expect(Object.keys(patch)).not.toContain('lists');
    }
  });

  test('a manager sees the whole team and reassigns from the swipe action', async () => {
    const rita = await colleague(cluster.nodes[0]!.url, 'rita');
    const task = await rita.createTask({ title: '整理报价单', dueAt: dueTodayIso() });
    phone.realtime.forget();
    phone.wx.uninstall();
    phone = await signedInPhone(root, cluster.nodes[0]!.url, 'mia');
    const p = await openTasks();
    expect(p.text()).toMatch(/^我的全队/);
    expect(rowIn(p, 'today', task.id)).toBeNull(); // "mine": only Mia's own tasks
    tap(p.comp.querySelector('#scope-team'));
    await p.waitFor(() => rowIn(p, 'today', task.id) !== null, "Rita's task in the team scope");
    expect(textOf(rowIn(p, 'today', task.id))).toContain('王婷');
    tap(p.comp.querySelector(`#assign-${task.id}`));
    await p.waitFor((text) => text.includes('将“整理报价单”分配给'), 'the assign sheet');
    const items = p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item');
    const names = items.map((i) => textOf(i.dom));
    expect(names).toEqual(expect.arrayContaining(['张敏', '李锐', '王婷']));
    tap(items[names.indexOf('李锐')]);
    await p.waitFor((text) => text.includes('已分配给李锐'), 'the confirmation');
    expect(textOf(rowIn(p, 'today', task.id))).toContain('李锐');
    expect((await mia.task(task.id)).assigneeId).toBe(ray.user.id);
  });
});
