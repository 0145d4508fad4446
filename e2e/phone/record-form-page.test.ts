// @vitest-environment jsdom
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity, Customer, SubscriptionStatusResponse } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { startFakeWechat, type FakeWechat } from '../../realtime-server/test/notifications/fake-wechat.js';
import { demoPhoto } from '../../realtime-server/src/seed/demo.photos.js';
import { requestsSettled } from '../support/app';
import { killApp, launchApp, type AppRun } from '../support/offline';
import { colleague, type Colleague } from '../support/crm';
import { crmTeammate, freshPhone } from '../support/customers';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { fire, openPage, tap, type OpenedPage } from '../../miniprogram/test/support/page';

const TEMPLATE = 'tpl-task-reminder';
let server: TestNode;
let wechat: FakeWechat;
let root: string;
let phone: AppRun;
let ray: Colleague;
let rita: Colleague;
let page: OpenedPage | null = null;
const dir = mkdtempSync(join(tmpdir(), 'record-photos-'));
const photoFile = (n: number): string => {
  const path = join(dir, `shot-${n}.png`);
  writeFileSync(path, demoPhoto(n));
  return path;
};

beforeAll(async () => {
  wechat = await startFakeWechat();
  [server, root] = await Promise.all([startTestNode({ env: wechat.env(TEMPLATE) }), ensureBuilt()]);
  // The app runs as on a phone (onLaunch starts the offline queue and its network listener).
  phone = await launchApp(root, server, { login: 'ray' });
  phone.wx.privacy.tapAgreeButton('agreed-before'); // the privacy guide was agreed to on an earlier day
  [ray, rita] = await Promise.all([colleague(server.url, 'ray'), colleague(server.url, 'rita')]);
});
afterEach(() => {
  page?.close();
  page = null;
  phone.wx.setOffline(false);
});
afterAll(async () => {
  if (phone) killApp(phone);
  await server?.stop();
  await wechat?.close();
});

async function freshCustomer(name: string): Promise<Customer> {
  return (await crmTeammate(server.url, 'ray')).create({ name, phone: freshPhone() });
}
const timeline = async (customerId: number) =>
  (await ray.call<{ activities: Activity[] }>('GET', `/api/crm/customers/${customerId}/activities`)).activities;

async function open(query: Record<string, string>): Promise<OpenedPage> {
  const p = (page = openPage(root, 'record-form', query));
  await p.waitFor((text) => text.includes('保存') && !text.includes('加载中'), 'the record form');
  await requestsSettled(phone.wx);
  return p;
}
const write = (p: OpenedPage, content: string) => fire(p.comp.querySelector('#field-content'), 'change', { value: content });
async function wentBack(since: number): Promise<void> {
  await expect.poll(() => phone.wx.navigations.slice(since).some((n) => n.kind === 'navigateBack'), { timeout: 8000 }).toBe(true);
}

describe('写跟进 against a real server', () => {
  test('a WeChat follow-up with two photos, a next step and an @mention is one record plus one task; the reminder consent is asked in the tap', async () => {
    const c = await freshCustomer('跟进表单客户');
    const p = await open({ customerId: String(c.id) });
    expect(p.text()).toMatch(/跟进表单客户.*电话.*拜访.*微信.*邮件.*会议.*其他/);
    tap(p.comp.querySelector('.chip-wechat'));
    write(p, '微信发了报价，客户说周五前回复');
    phone.wx.script.mediaAnswers.push([{ path: photoFile(1) }, { path: photoFile(2) }]);
    tap(p.comp.querySelector('.photo--add'));
    await expect.poll(() => p.comp.dom.querySelectorAll('.main--photo__img').length).toBe(2);
    expect(phone.wx.compressions).toHaveLength(2);
    fire(p.comp.querySelector('.picker'), 'confirm', { value: '2031-03-05 14:30' });
    tap(p.comp.querySelector('.add-mention'));
    await p.waitFor(() => (p.comp.instance.data as { sheet: { visible: boolean } }).sheet.visible, 'the member picker');
    const members = (p.comp.instance.data as { sheet: { items: string[] } }).sheet.items;
    fire(p.comp.querySelector('.sheet'), 'selected', { index: members.indexOf(rita.user.name) });
    await p.waitFor((text) => text.includes(`@${rita.user.name}`), 'the mention');

    const consents = (await ray.call<SubscriptionStatusResponse>('GET', '/api/crm/notifications/subscriptions')).remaining;
    const since = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    expect(phone.wx.subscribeRequests.at(-1)).toEqual([TEMPLATE]); // asked inside the tap
    await wentBack(since);

    const [record] = await timeline(c.id);
    expect(record).toMatchObject({ type: 'wechat', content: '微信发了报价，客户说周五前回复', mentions: [rita.user.id] });
    expect(record!.attachments).toHaveLength(2);
    const tasks = await ray.tasks(`view=all&customerId=${c.id}`);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ dueAt: '2031-03-05T06:30:00.000Z', remindAt: '2031-03-05T06:00:00.000Z', assigneeId: ray.user.id });
    expect((await ray.call<SubscriptionStatusResponse>('GET', '/api/crm/notifications/subscriptions')).remaining).toBe(consents + 1);
    const inbox = await rita.inbox();
    expect(inbox.notifications[0]).toMatchObject({ kind: 'mention', link: `/pages/customer-detail/index?id=${c.id}` });
  }, 45_000);

  test('offline, the record and its photo wait in the queue and are sent once when the phone is back', async () => {
    const c = await freshCustomer('离线跟进客户');
    const p = await open({ customerId: String(c.id) });
    write(p, '地下室没信号，先记下');
    phone.wx.script.mediaAnswers.push([{ path: photoFile(3) }]);
    tap(p.comp.querySelector('.photo--add'));
    await expect.poll(() => p.comp.dom.querySelectorAll('.main--photo__img').length).toBe(1);
    phone.wx.setOffline(true);
    const since = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await wentBack(since);
    expect(phone.wx.toasts.at(-1)?.title).toBe('已保存，联网后自动发送');
    expect(await timeline(c.id)).toEqual([]);
    const uploadsBefore = phone.wx.uploads.filter((u) => u.statusCode === 201).length;
    phone.wx.setOffline(false);
    await expect.poll(async () => (await timeline(c.id)).length, { timeout: 8000 }).toBe(1);
    const [record] = await timeline(c.id);
    expect(record!.attachments).toHaveLength(1);
    expect(phone.wx.uploads.filter((u) => u.statusCode === 201).length).toBe(uploadsBefore + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await timeline(c.id)).toHaveLength(1);
  }, 45_000);

  test('a record queued offline keeps its photo through the app being killed, and the relaunched app sends both once', async () => {
    const c = await freshCustomer('杀进程跟进客户');
    const p = await open({ customerId: String(c.id) });
    write(p, '电梯里记的，出去再发');
    phone.wx.script.mediaAnswers.push([{ path: photoFile(4) }]);
    tap(p.comp.querySelector('.photo--add'));
    await expect.poll(() => p.comp.dom.querySelectorAll('.main--photo__img').length).toBe(1);
    phone.wx.setOffline(true);
    const since = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await wentBack(since);
    // The queue holds a copy in the app's own files: WeChat may delete the temp photo once the app closes.
    expect(phone.storage.userData.files()).toHaveLength(1);

    page?.close();
    page = null;
    const { storage } = phone;
    killApp(phone); // temp files go with the run
    expect(await timeline(c.id)).toEqual([]);
    phone = await launchApp(root, server, { storage });
    phone.wx.privacy.tapAgreeButton('agreed-before');

    await expect.poll(async () => (await timeline(c.id)).length, { timeout: 8000 }).toBe(1);
    const [record] = await timeline(c.id);
    expect(record).toMatchObject({ content: '电梯里记的，出去再发' });
    expect(record!.attachments).toHaveLength(1);
    await expect.poll(() => storage.userData.files()).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await timeline(c.id)).toHaveLength(1);
  }, 45_000);

  test('a visit check-in refuses to save without its place, then saves the place WeChat picked and a photo stamped with time and place', async () => {
    const c = await freshCustomer('拜访签到客户');
    const p = await open({ customerId: String(c.id), visit: '1' });
    expect(p.text()).toContain('还没有签到地点');
    write(p, '到店拜访，见了店长');
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((text) => text.includes('拜访需要先签到地点'), 'the missing place');
    phone.wx.script.locationAnswers.push({
      name: '静安嘉里中心',
      address: '上海市静安区南京西路 1515 号',
      latitude: 31.2241,
      longitude: 121.4456,
    });
    tap(p.comp.querySelector('.check-in'));
    await p.waitFor((text) => text.includes('静安嘉里中心'), 'the place');
    // The shop photo is stamped on the phone with when and where: a band with the time and the place.
    const drawn = phone.wx.drawings.length;
    phone.wx.script.mediaAnswers.push([{ path: photoFile(5) }]);
    tap(p.comp.querySelector('.photo--add'));
    await expect.poll(() => p.comp.dom.querySelectorAll('.main--photo__img').length).toBe(1);
    const [stamp] = phone.wx.drawings.slice(drawn);
    expect(stamp).toMatchObject({ width: 240, height: 180, rects: 1, texts: [expect.stringMatching(/\d{2}:\d{2}$/), '静安嘉里中心'] });
    expect(stamp!.images).toHaveLength(1);
    expect((p.comp.instance.data as { values: { photos: string[] } }).values.photos).toEqual([stamp!.output]);
    const since = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await wentBack(since);
    const [visit] = await timeline(c.id);
    expect(visit).toMatchObject({ type: 'visit', location: { name: '静安嘉里中心', latitude: 31.2241, longitude: 121.4456 } });
    expect(visit!.attachments).toHaveLength(1);
    expect(phone.wx.uploads.map((u) => u.filePath)).toContain(stamp!.output);
  }, 45_000);

  test("the customer page shows a record's photos as thumbnails that open wx.previewImage", async () => {
    const c = await freshCustomer('照片客户');
    const p0 = await open({ customerId: String(c.id) });
    write(p0, '看了现场');
    phone.wx.script.mediaAnswers.push([{ path: photoFile(4) }]);
    tap(p0.comp.querySelector('.photo--add'));
    await expect.poll(() => p0.comp.dom.querySelectorAll('.main--photo__img').length).toBe(1);
    const since = phone.wx.navigations.length;
    tap(p0.comp.querySelector('.submit'));
    await wentBack(since);
    page?.close();
    const p = (page = openPage(root, 'customer-detail', { id: String(c.id) }));
    await p.waitFor((text) => text.includes('看了现场'), 'the record');
    await expect
      .poll(
        () =>
          (p.comp.instance.data as { entries: Array<{ photos: Array<{ src: string }> }> }).entries
            .flatMap((e) => e.photos)
            .filter((x) => x.src).length,
      )
      .toBe(1);
    tap(p.comp.querySelector('.entry__photo'));
    await expect.poll(() => phone.wx.previews.length).toBe(1);
    expect(phone.wx.previews[0]!.urls).toHaveLength(1);
  }, 45_000);

  test("the author's tasks page shows the record's next step live, from the record's own envelope", async () => {
    const c = await freshCustomer('下一步客户');
    const p = (page = openPage(root, 'tasks'));
    await p.waitFor((text) => !text.includes('加载中'), 'the tasks page');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 8000 }).toBe(true);
    p.call('onTabChange', { detail: { value: 'upcoming' } });
    const next = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await ray.call('POST', '/api/crm/activities', { customerId: c.id, type: 'call', content: '约了后天', nextFollowUpAt: next });
    await p.waitFor((text) => text.includes('下一步客户'), 'the follow-up task', 8000);
  }, 45_000);
});

describe('accepting an assigned task', () => {
  test('asks for the WeChat reminder inside the tap and takes the task up', async () => {
    const mia = await colleague(server.url, 'mia');
    const due = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const task = await mia.createTask({
      title: '回访老客户',
      assigneeId: ray.user.id,
      dueAt: due,
      remindAt: new Date(Date.parse(due) - 1_800_000).toISOString(),
    });
    const p = (page = openPage(root, 'task-detail', { id: String(task.id) }));
    await p.waitFor((text) => text.includes('接受任务'), 'the accept button');
    await requestsSettled(phone.wx);
    const consents = (await ray.call<SubscriptionStatusResponse>('GET', '/api/crm/notifications/subscriptions')).remaining;
    tap(p.comp.querySelector('.accept'));
    expect(phone.wx.subscribeRequests.at(-1)).toEqual([TEMPLATE]);
    await expect.poll(async () => (await ray.task(task.id)).status, { timeout: 8000 }).toBe('in_progress');
    await expect
      .poll(async () => (await ray.call<SubscriptionStatusResponse>('GET', '/api/crm/notifications/subscriptions')).remaining)
      .toBe(consents + 1);
    await p.waitFor((text) => !text.includes('接受任务'), 'the task taken up');
  }, 45_000);
});

describe('the customer page', () => {
  test("shows the customer's contacts, callable, and a teammate's new primary contact live", async () => {
    const c = await freshCustomer('联系人页面客户');
    await ray.call('POST', `/api/crm/customers/${c.id}/contacts`, {
      name: '周婷',
      title: '采购',
      phone: '13900001111',
      role: 'decision-maker',
      primary: true,
    });
    const p = (page = openPage(root, 'customer-detail', { id: String(c.id) }));
    await p.waitFor((text) => text.includes('周婷') && text.includes('采购 · 决策人') && text.includes('主要'), 'the contact');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 8000 }).toBe(true);
    tap(p.comp.querySelector('.contact__call'));
    await expect.poll(() => phone.wx.phoneCalls.at(-1)).toBe('13900001111');
    await rita.call('POST', `/api/crm/customers/${c.id}/contacts`, {
      name: '吴勇',
      title: '总经理',
      role: 'decision-maker',
      primary: true,
    });
    await p.waitFor((text) => text.includes('吴勇'), 'the new contact, live', 8000);
    const rows = (p.comp.instance.data as { contacts: Array<{ name: string; primary: boolean }> }).contacts;
    expect(rows.map((r) => [r.name, r.primary])).toEqual([
      ['周婷', false],
      ['吴勇', true],
    ]);
  }, 45_000);
});
