// @vitest-environment jsdom
import type { SubscriptionStatusResponse, Task } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { startFakeWechat, type FakeWechat } from '../../realtime-server/test/notifications/fake-wechat.js';
import { requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, dueTodayIso, type Colleague } from '../support/crm';
import { fire, openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

const TEMPLATE = 'tpl-task-reminder';
let server: TestNode;
let wechat: FakeWechat;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let ray: Colleague;
let mia: Colleague;
let page: OpenedPage | null = null;

beforeAll(async () => {
  wechat = await startFakeWechat();
  [server, root] = await Promise.all([startTestNode({ env: wechat.env(TEMPLATE) }), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  [ray, mia] = await Promise.all([colleague(server.url, 'ray'), colleague(server.url, 'mia')]);
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
  await wechat?.close();
});

const consents = async () => (await ray.call<SubscriptionStatusResponse>('GET', '/api/crm/notifications/subscriptions')).remaining;
const input = (p: OpenedPage, field: string, value: string) => fire(p.comp.querySelector(`#field-${field}`), 'change', { value });
/** What the title input holds (an input's value is not part of the page text). */
const titleValue = (p: OpenedPage) => (p.comp.instance.data as { values: { title: string } }).values.title;
/** Resolves once the page has gone back (a navigation after the ones so far). */
async function wentBack(since: number): Promise<void> {
  await expect.poll(() => phone.wx.navigations.slice(since).some((n) => n.kind === 'navigateBack')).toBe(true);
}
const newest = async (title: string): Promise<Task | undefined> => (await ray.tasks('view=all')).find((t) => t.title === title);

async function open(name: string, query: Record<string, string> = {}, ready = '保存'): Promise<OpenedPage> {
  const p = (page = openPage(root, name, query));
  await p.waitFor((text) => text.includes(ready) && !/加载中/.test(text), name);
  await requestsSettled(phone.wx);
  return p;
}

describe('task form', () => {
  test('saving a new task with a reminder asks for a WeChat reminder and records the consent', async () => {
    const p = await open('task-form');
    expect(p.text()).toMatch(/类型电话.*优先级中优先级.*客户不关联客户.*截止时间(今天|明天) \d{2}:00.*提醒提前 30 分钟.*保存/);
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((text) => text.includes('请填写任务内容'), 'the inline error');
    expect(phone.wx.subscribeRequests).toHaveLength(0);

    input(p, 'title', '寄送样品并电话确认');
    fire(p.comp.querySelector('.picker'), 'confirm', { value: '2031-03-05 14:30' });
    fire(p.comp.querySelector('.type'), 'click');
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[2]); // 会议
    await p.waitFor((text) => text.includes('类型会议') && text.includes('2031年3月5日 14:30'), 'the picked values');
    const before = await consents();
    const navigations = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    expect(phone.wx.subscribeRequests.at(-1)).toEqual([TEMPLATE]); // asked inside the tap
    await wentBack(navigations);
    expect(phone.wx.toasts.at(-1)?.title).toBe('到时会通过微信提醒你');
    const saved = await newest('寄送样品并电话确认');
    expect(saved).toMatchObject({
      type: 'meeting',
      assigneeId: ray.user.id,
      dueAt: '2031-03-05T06:30:00.000Z',
      remindAt: '2031-03-05T06:00:00.000Z',
    });
    expect(await consents()).toBe(before + 1);
  });

  test('a declined reminder is recorded as declined, and the task is still created', async () => {
    const p = await open('task-form');
    input(p, 'title', '整理客户拜访纪要');
    phone.wx.script.subscribeAnswers.push('reject');
    const before = await consents();
    const navigations = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await wentBack(navigations);
    expect(phone.wx.toasts.at(-1)?.title).toBe('任务已创建');
    expect(await newest('整理客户拜访纪要')).toBeDefined();
    const consent = phone.wx.requests.find(
      (r) => r.url.endsWith('/notifications/subscriptions') && r.method === 'POST' && String(r.body).includes('false'),
    );
    expect(JSON.parse(String(consent?.body))).toEqual({ templateId: TEMPLATE, accepted: false });
    expect(await consents()).toBe(before);
  });

  test('editing keeps the version; a teammate’s earlier edit (409) loads the latest and names them', async () => {
    const task = await ray.createTask({ title: '准备季度复盘', dueAt: dueTodayIso(), remindAt: null });
    const p = await open('task-form', { id: String(task.id) });
    expect(titleValue(p)).toBe('准备季度复盘');
    expect(p.text()).toContain('提醒不提醒');
    await mia.updateTask(task, { title: '准备季度复盘（经理补充）' });
    input(p, 'title', '准备季度复盘材料');
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((text) => text.includes('张敏已修改此任务'), 'the conflict notice');
    expect(titleValue(p)).toBe('准备季度复盘（经理补充）');
    input(p, 'title', '准备季度复盘材料');
    const navigations = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await wentBack(navigations);
    expect(await ray.task(task.id)).toMatchObject({ title: '准备季度复盘材料', version: task.version + 2 });
    expect(phone.wx.subscribeRequests.filter((r) => r.length).length).toBe(2); // no reminder: nothing asked
  });
});

describe('task detail', () => {
  test('shows the task, follows a teammate’s change live, and completes it', async () => {
    const customer = (await ray.call<{ customers: Array<{ id: number; name: string }> }>('GET', '/api/crm/customers?limit=1'))
      .customers[0]!;
    const task = await ray.createTask({
      title: '电话回访',
      customerId: customer.id,
      priority: 'high',
      dueAt: dueTodayIso(),
      description: '确认二期付款节点',
    });
    const p = await open('task-detail', { id: String(task.id) }, '完成');
    for (const part of ['电话回访', '待办', '高优先级', '截止时间今天', customer.name, '负责人李锐', '确认二期付款节点'])
      expect(p.text()).toContain(part);
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await mia.updateTask(task, { title: '电话回访（加急）' });
    await p.waitFor((text) => text.includes('张敏刚刚更新了此任务') && text.includes('电话回访（加急）'), 'the live change');
    tap(p.comp.querySelector('.toggle'));
    await p.waitFor((text) => text.includes('已完成“电话回访（加急）”') && text.includes('重新打开'), 'the completed task');
    expect((await ray.task(task.id)).status).toBe('completed');
    fire(p.comp.querySelector('.customer'), 'click');
    expect(phone.wx.navigations.at(-1)).toMatchObject({ kind: 'navigateTo', url: `/pages/customer-detail/index?id=${customer.id}` });
    expect(textOf(p.comp.dom)).toContain('完成于');
  });
});
