// @vitest-environment jsdom
import type { Customer } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { http } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { connectWeapp, type WeappClient } from '../../realtime-server/test/support/weapp.js';
import { BASE_URL_KEY, requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { crmTeammate, type CrmTeammate } from '../support/customers';
import { fire, openPage, tap, textOf, type OpenedPage, captureSetData, patchBytes } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let rita: CrmTeammate;
let ritaPhone: WeappClient | null = null;
let page: OpenedPage | null = null;
let customer: Customer;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  rita = await crmTeammate(server.url, 'rita');
  customer = (await rita.list('?sortBy=name')).customers[0]!;
});
afterEach(() => {
  page?.close();
  page = null;
  ritaPhone?.close();
  ritaPhone = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
});

const timelineText = (p: OpenedPage) => textOf(p.comp.dom.querySelector('.main--timeline'));
/** Timeline lines top to bottom as shown (flex `order`, then DOM order). */
function entries(p: OpenedPage): string[] {
  return [...p.comp.dom.querySelectorAll<HTMLElement>('.main--entry')]
    .map((el, i) => ({ text: textOf(el), order: Number(/order:\s*(-?\d+)/.exec(el.getAttribute('style') ?? '')?.[1] ?? 0), i }))
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map((e) => e.text);
}

async function openDetail(id: number): Promise<OpenedPage> {
  const p = (page = openPage(root, 'customer-detail', { id: String(id) }));
  await p.waitFor((t) => t.includes('动态') && !t.includes('加载中'), 'the customer');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

describe('customer detail page against a real server', () => {
  test('shows the profile and the timeline newest first; a teammate’s note appears live in a small setData', async () => {
    const before = await rita.addNote(customer.id, '上周寄过样品');
    const p = await openDetail(customer.id);
    for (const part of [customer.name, customer.phone!, customer.email!, '打电话', '消息记录', '安排跟进'])
      expect(p.text()).toContain(part);
    expect(entries(p)[0]).toContain(before.content);
    expect(phone.wx.titles.at(-1)).toBe('客户详情');

    const sent = captureSetData(p);
    await rita.addNote(customer.id, '客户说下周二可以签约');
    await p.waitFor(() => (entries(p)[0] ?? '').includes('客户说下周二可以签约'), 'the live note on top');
    expect(entries(p)[0]).toContain('王婷 添加了备注');
    await rita.sendMessage(customer.id, '王总，合同已发邮箱');
    await p.waitFor(() => (entries(p)[0] ?? '').includes('王总，合同已发邮箱'), 'the live message on top');
    const other = (await rita.list('?sortBy=name')).customers[1]!;
    await rita.addNote(other.id, '别的客户的备注');
    await new Promise((r) => setTimeout(r, 300));
    expect(timelineText(p)).not.toContain('别的客户的备注');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const patch of sent) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
      expect(Object.keys(patch)).not.toContain('entries');
    }
  });

  test('adding a note shows it at once, saves it once with its Idempotency-Key, and a repeat has no second effect', async () => {
    const p = await openDetail(customer.id);
    fire(p.comp.querySelector('.note-input'), 'change', { value: '电话确认了交货地址' });
    await p.waitFor(() => p.comp.instance.data['noteDraft'] === '电话确认了交货地址', 'the draft');
    tap(p.comp.querySelector('.add-note'));
    // Shown before the server answers.
    expect(entries(p)[0]).toContain('电话确认了交货地址');
    expect(entries(p)[0]).toContain('保存中');
    const post = phone.wx.requests.at(-1)!;
    expect(post.method).toBe('POST');
    const key = post.header['Idempotency-Key'];
    expect(key).toBeTruthy();
    await p.waitFor(() => !(entries(p)[0] ?? '').includes('保存中'), 'the saved note');
    await new Promise((r) => setTimeout(r, 300)); // the live echo of our own note must not add a second line
    expect(entries(p).filter((e) => e.includes('电话确认了交货地址'))).toHaveLength(1);

    // A retry of the same request (the phone never saw the answer) returns the first note.
    const repeat = await http<{ note: { id: number } }>(server.url, 'POST', `/api/crm/customers/${customer.id}/notes`, {
      token: phone.token,
      body: { content: '电话确认了交货地址' },
      headers: { 'Idempotency-Key': key! },
    });
    expect(repeat.status).toBeLessThan(300);
    const notes = (await rita.notes(customer.id)).filter((n) => n.content === '电话确认了交货地址');
    expect(notes).toHaveLength(1);
    expect(repeat.body.note.id).toBe(notes[0]!.id);
  });

  test('a note that cannot reach the server waits as 待同步 and is saved once, under the same key, when it can', async () => {
    const p = await openDetail(customer.id);
    phone.storage.set(BASE_URL_KEY, 'http://127.0.0.1:1');
    try {
      fire(p.comp.querySelector('.note-input'), 'change', { value: '离线时写的备注' });
      await p.waitFor(() => p.comp.instance.data['noteDraft'] === '离线时写的备注', 'the draft');
      tap(p.comp.querySelector('.add-note'));
      await p.waitFor(() => (entries(p)[0] ?? '').includes('待同步'), 'the queued note');
    } finally {
      phone.storage.set(BASE_URL_KEY, server.url);
    }
    const firstKey = phone.wx.requests.at(-1)!.header['Idempotency-Key'];
    // The queue retries on its own (backoff); the line turns into the saved note.
    await p.waitFor(() => !entries(p).some((e) => e.includes('待同步') || e.includes('保存中')), 'the note saved', 10_000);
    const sent = phone.wx.requests.filter((r) => r.header['Idempotency-Key'] === firstKey);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect((await rita.notes(customer.id)).filter((n) => n.content === '离线时写的备注')).toHaveLength(1);
  });

  test('"also viewing" shows a teammate who opens the same customer and drops them when they leave', async () => {
    const p = await openDetail(customer.id);
    expect(p.text()).not.toContain('也在查看');
    ritaPhone = await connectWeapp(server.url, rita.token);
    const join = await ritaPhone.command('presence:join', { resource: `customer:${customer.id}` });
    expect(join.ok).toBe(true);
    await p.waitFor((t) => t.includes('王婷 也在查看'), 'Rita in the viewers');
    expect(textOf(p.comp.dom.querySelector('.main--viewers'))).toContain('王');
    await ritaPhone.command('presence:leave', { resource: `customer:${customer.id}` });
    await p.waitFor((t) => !t.includes('也在查看'), 'Rita gone');

    // Leaving the page (onHide) tells the others; coming back (onShow) joins again.
    await ritaPhone.command('presence:join', { resource: `customer:${customer.id}` });
    await p.waitFor((t) => t.includes('王婷 也在查看'), 'Rita back');
    p.call('onHide');
    await expect
      .poll(async () => {
        const ack = await ritaPhone!.command('presence:join', { resource: `customer:${customer.id}` });
        return (ack.ok ? ack.data.viewers : []).map((v: { name: string }) => v.name);
      })
      .toEqual(['王婷']);
    p.call('onShow');
    await p.waitFor((t) => t.includes('王婷 也在查看'), 'Rita seen again after onShow');
  });

  test('after a dropped connection the page counts as viewing again once it reconnects', async () => {
    await openDetail(customer.id);
    ritaPhone = await connectWeapp(server.url, rita.token);
    const viewers = async (): Promise<string[]> => {
      const ack = await ritaPhone!.command('presence:join', { resource: `customer:${customer.id}` });
      return ack.ok ? ack.data.viewers.map((v: { name: string }) => v.name) : [];
    };
    await expect.poll(viewers).toContain(phone.user.name);
    phone.wx.dropSockets();
    await expect.poll(() => phone.realtime.status()).not.toBe('online');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 15_000 }).toBe(true);
    await expect.poll(viewers).toContain(phone.user.name);
  });

  test('scheduling a follow-up creates a task with a reminder and says so', async () => {
    const p = await openDetail(customer.id);
    fire(p.comp.querySelector('.action-follow-up'), 'click');
    await p.waitFor((t) => t.includes('创建跟进任务'), 'the follow-up sheet');
    const when = '2031-03-05 09:30';
    p.call('onPickerConfirm', { detail: { value: when } });
    await p.waitFor((t) => t.includes('2031年3月5日 09:30'), 'the picked time');
    fire(p.comp.querySelector('.follow-up-notes'), 'change', { value: '带上新报价' });
    tap(p.comp.querySelector('.follow-up-submit'));
    await p.waitFor((t) => t.includes('已创建跟进任务，将提前 30 分钟提醒你'), 'the confirmation');
    const { tasks } = await rita.call<{ tasks: Array<{ customerId: number; dueAt: string; remindAt: string; description: string }> }>(
      'GET',
      `/api/crm/tasks?view=all&customerId=${customer.id}`,
    );
    const task = tasks.find((t) => t.description === '带上新报价');
    expect(task?.dueAt).toBe('2031-03-05T01:30:00.000Z');
    expect(task?.remindAt).toBe('2031-03-05T01:00:00.000Z');
  });

  test('calling from the page logs the call on the timeline', async () => {
    const p = await openDetail(customer.id);
    phone.wx.script.actionSheetAnswers.push(1);
    fire(p.comp.querySelector('.action-call'), 'click');
    await p.waitFor(() => (entries(p)[0] ?? '').includes('电话 · 未接通'), 'the missed call on top');
    expect(entries(p)[1]).toContain('电话 · 已拨出');
    expect(phone.wx.phoneCalls.at(-1)).toBe(customer.phone);
  });
});
