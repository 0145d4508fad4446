// @vitest-environment jsdom
import type { Customer } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, dueTodayIso } from '../support/crm';
import { crmTeammate, type CrmTeammate } from '../support/customers';
import { eventsAfter, killApp, lastSeq, launchApp, type AppRun } from '../support/offline';
import { fire, openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

/** Pages that save while the phone has no network: what shows at once, and what reaches the server once back. */

let server: TestNode;
let root: string;
let rita: CrmTeammate;
let customer: Customer;
let run: AppRun | null = null;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  rita = await crmTeammate(server.url, 'rita');
  customer = (await rita.list('?sortBy=name')).customers.find((c) => c.phone)!;
});
afterEach(() => {
  page?.close();
  page = null;
  if (run) killApp(run);
  run = null;
});
afterAll(async () => {
  await server?.stop();
});

/** Timeline lines top to bottom as shown (flex `order`, then DOM order), hidden ones left out. */
function entries(p: OpenedPage): string[] {
  return [...p.comp.dom.querySelectorAll<HTMLElement>('.main--entry')]
    .filter((el) => !el.className.includes('entry--gone'))
    .map((el, i) => ({ text: textOf(el), order: Number(/order:\s*(-?\d+)/.exec(el.getAttribute('style') ?? '')?.[1] ?? 0), i }))
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map((e) => e.text);
}

/** Launched as Ray, the customer page open and live; `offline` then takes the network away. */
async function customerPageOffline(): Promise<{ app: AppRun; p: OpenedPage }> {
  const app = (run = await launchApp(root, server));
  const p = (page = openPage(root, 'customer-detail', { id: String(customer.id) }));
  await p.waitFor((t) => t.includes('动态') && !t.includes('加载中'), 'the customer');
  await expect.poll(() => app.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(app.wx);
  app.wx.setOffline(true);
  await expect.poll(() => app.realtime.status(), { timeout: 5000 }).not.toBe('online');
  return { app, p };
}

/** Requests carrying this Idempotency-Key fail as on a lost network until the returned release() is called. */
function failRequests(app: AppRun, key: string): () => void {
  type Opts = { header?: Record<string, string>; fail?: (res: { errMsg: string }) => void };
  const original = app.wx.wx['request'] as (o: Opts) => unknown;
  app.wx.wx['request'] = (o: Opts) => {
    if (o.header?.['Idempotency-Key'] !== key) return original(o);
    setTimeout(() => o.fail?.({ errMsg: 'request:fail net::ERR_CONNECTION_RESET' }), 0);
    return { abort: () => undefined };
  };
  return () => {
    app.wx.wx['request'] = original;
  };
}

async function addNote(p: OpenedPage, content: string): Promise<void> {
  fire(p.comp.querySelector('.note-input'), 'change', { value: content });
  await p.waitFor(() => p.comp.instance.data['noteDraft'] === content, 'the draft');
  tap(p.comp.querySelector('.add-note'));
}

describe('saving without a network, against a real server', () => {
  test('a note added offline shows 待同步, then turns into the saved note once the phone is back; the server has it once', async () => {
    const { app, p } = await customerPageOffline();
    await addNote(p, '地铁里写的备注');
    await p.waitFor(() => (entries(p)[0] ?? '').includes('待同步'), 'the queued note');
    expect(entries(p)[0]).toContain('地铁里写的备注');
    expect(app.queue.pending().map((i) => i.label)).toEqual(['添加备注“地铁里写的备注”']);
    expect(await rita.notes(customer.id)).not.toContainEqual(expect.objectContaining({ content: '地铁里写的备注' }));

    app.wx.setOffline(false);
    await p.waitFor(() => !entries(p).some((e) => e.includes('待同步')), 'the note saved');
    await expect.poll(() => app.queue.pending()).toEqual([]);
    await expect.poll(() => app.realtime.isSynced(), { timeout: 15_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // the live echo must not add a second line
    expect(entries(p).filter((e) => e.includes('地铁里写的备注'))).toHaveLength(1);
    expect((await rita.notes(customer.id)).filter((n) => n.content === '地铁里写的备注')).toHaveLength(1);
    expect(app.wx.modals).toEqual([]);
  });

  test('a note still queued when the page is opened again (after a relaunch) shows pending, and is saved once', async () => {
    const { app, p } = await customerPageOffline();
    await addNote(p, '重启前写的备注');
    await p.waitFor(() => (entries(p)[0] ?? '').includes('待同步'), 'the queued note');
    const [queued] = app.queue.pending();
    page = null;
    p.close();
    killApp(app);

    // Back with a patchy connection: the page loads, but the note's own request keeps failing for now.
    const again = (run = await launchApp(root, server, { storage: app.storage, offline: true }));
    const release = failRequests(again, queued!.key);
    again.wx.setOffline(false);
    const reopened = (page = openPage(root, 'customer-detail', { id: String(customer.id) }));
    await reopened.waitFor(() => (entries(reopened)[0] ?? '').includes('重启前写的备注'), 'the note after the relaunch');
    expect(entries(reopened)[0]).toContain('待同步');
    release();
    await reopened.waitFor(() => !entries(reopened).some((e) => e.includes('待同步')), 'the note saved', 15_000);
    await expect.poll(() => again.queue.pending()).toEqual([]);
    expect(entries(reopened).filter((e) => e.includes('重启前写的备注'))).toHaveLength(1);
    expect((await rita.notes(customer.id)).filter((n) => n.content === '重启前写的备注')).toHaveLength(1);
  });

  test('a call logged offline says it will sync, and reaches the server and the timeline once', async () => {
    const { app, p } = await customerPageOffline();
    const before = new Set((await rita.communications(customer.id)).map((c) => c.id));
    app.wx.script.actionSheetAnswers.push(0);
    fire(p.comp.querySelector('.action-call'), 'click');
    await p.waitFor((t) => t.includes('离线保存，联网后同步'), 'the queued toast');
    expect(app.queue.pending().map((i) => i.label)).toEqual([`通话记录 ${customer.phone}`, `通话记录 ${customer.phone}`]);

    app.wx.setOffline(false);
    await expect.poll(() => app.queue.pending().length, { timeout: 10_000 }).toBe(0);
    await p.waitFor(() => (entries(p)[0] ?? '').includes('电话 · 已接通'), 'the call on the timeline');
    expect(entries(p)[1]).toContain('电话 · 已拨出');
    const logs = (await rita.communications(customer.id)).filter((c) => !before.has(c.id));
    expect(logs.map((c) => c.status).sort()).toEqual(['completed', 'initiated']);
  });

  test('a task completed offline stays checked and pending, and is applied once when the phone is back', async () => {
    const ray = await colleague(server.url, 'ray');
    const task = await ray.createTask({ title: '离线时完成的任务', type: 'call', dueAt: dueTodayIso() });
    const app = (run = await launchApp(root, server));
    const p = (page = openPage(root, 'tasks'));
    const row = () => p.comp.dom.querySelector(`[data-row="${task.id}"]`);
    await p.waitFor(() => row() !== null && !p.text().includes('加载中'), 'the new task');
    await expect.poll(() => app.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(app.wx);
    app.wx.setOffline(true);
    await expect.poll(() => app.realtime.status(), { timeout: 5000 }).not.toBe('online');
    const before = await lastSeq(server, task.teamId);

    tap(p.comp.querySelector(`#check-${task.id}`));
    await p.waitFor((t) => t.includes('离线保存，联网后同步'), 'the queued toast');
    expect(row()!.className).toContain('row--done');
    expect(row()!.className).toContain('row--pending');
    expect(app.queue.pending().map((i) => i.label)).toEqual(['完成任务“离线时完成的任务”']);
    expect((await ray.task(task.id)).status).not.toBe('completed');

    app.wx.setOffline(false);
    await p.waitFor(() => !row()!.className.includes('row--pending'), 'the completion applied');
    expect(row()!.className).toContain('row--done');
    const saved = await ray.task(task.id);
    expect(saved).toMatchObject({ status: 'completed', version: task.version + 1 });
    const events = (await eventsAfter(server, task.teamId, before)).filter((e) => e.type === 'task:updated');
    expect(events.map((e) => (e.data as { task: { id: number } }).task.id)).toEqual([task.id]);
    expect(app.wx.modals).toEqual([]);
  });
});
