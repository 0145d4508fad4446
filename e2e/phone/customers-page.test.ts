// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { crmTeammate, freshPhone, type CrmTeammate } from '../support/customers';
import { fire, openPage, tap, textOf, type OpenedPage, captureSetData, patchBytes } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let rita: CrmTeammate;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  rita = await crmTeammate(server.url, 'rita');
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

/** Rendered rows, top to bottom as the phone shows them (flex `order`, then DOM order). */
function rows(p: OpenedPage): Array<{ id: number; text: string }> {
  const els = [...p.comp.dom.querySelectorAll<HTMLElement>('.main--row')];
  return els
    .map((el, i) => ({
      id: Number(el.dataset['id'] ?? el.getAttribute('data-id')),
      text: textOf(el),
      order: Number(/order:\s*(-?\d+)/.exec(el.getAttribute('style') ?? '')?.[1] ?? 0),
      i,
    }))
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map(({ id, text }) => ({ id, text }));
}

async function openList(): Promise<OpenedPage> {
  const p = (page = openPage(root, 'customers'));
  await p.waitFor((t) => /共 \d+ 位客户/.test(t) && !t.includes('加载中'), 'the customer list');
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

describe('customers page against a real server', () => {
  test('shows the first page, then the next on scrolling to the bottom, with no row twice even as a teammate adds one', async () => {
    const p = await openList();
    const all = await rita.list('?limit=100');
    expect(p.text()).toContain(`共 ${all.total} 位客户`);
    const first = rows(p);
    expect(first).toHaveLength(20);
    const top = all.customers[0]!;
    expect(first[0]!.text).toContain(top.name);
    expect(first[0]!.text).toMatch(/联系|尚未联系/);
    expect(phone.wx.titles).toContain('客户');

    // A teammate's new customer (never contacted: it sorts last) belongs to a later page, not here yet.
    const added = await rita.create({ name: '滚动新增客户', company: '滚动测试有限公司', phone: freshPhone(), status: 'lead' });
    await new Promise((r) => setTimeout(r, 300));
    expect(rows(p).map((r) => r.id)).not.toContain(added.id);

    p.call('onReachBottom');
    await p.waitFor((t) => t.includes('没有更多了'), 'the end of the list');
    const ids = rows(p).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(all.total + 1);
    expect(ids.at(-1)).toBe(added.id);
    const nextPage = phone.wx.requests.filter((r) => r.url.includes('/api/crm/customers?')).at(-1)!;
    expect(nextPage.url).toMatch(/cursor=/);
  });

  test('search filters the rendered rows after a pause in typing, and clearing brings everyone back', async () => {
    const p = await openList();
    const before = rows(p).length;
    fire(p.comp.querySelector('.search'), 'change', { value: '杭州' });
    await p.waitFor(() => rows(p).length > 0 && rows(p).every((r) => r.text.includes('杭州')), 'only 杭州 customers');
    const expected = await rita.list(`?keyword=${encodeURIComponent('杭州')}&limit=100`);
    expect(rows(p).map((r) => r.id)).toEqual(expected.customers.map((c) => c.id));
    expect(p.text()).toContain(`共 ${expected.total} 位客户`);

    // A phone typed with separators finds the customer by its stored digits.
    const target = expected.customers[0]!;
    const spaced = `${target.phone!.slice(0, 3)} ${target.phone!.slice(3, 7)}-${target.phone!.slice(7)}`;
    fire(p.comp.querySelector('.search'), 'submit', { value: spaced });
    await p.waitFor(() => rows(p).length === 1 && rows(p)[0]!.id === target.id, 'the customer found by phone');

    fire(p.comp.querySelector('.search'), 'clear', { value: '' });
    await p.waitFor(() => rows(p).length === before, 'the whole first page again');
  });

  test("a search by digits shows, live, a teammate's new customer whose phone was typed with spaces", async () => {
    const p = await openList();
    const mobile = freshPhone();
    const searches = phone.wx.requests.length;
    fire(p.comp.querySelector('.search'), 'submit', { value: mobile });
    await p.waitFor(
      () =>
        phone.wx.requests.slice(searches).some((r) => r.url.includes(`keyword=${mobile}`) && r.statusCode === 200) && rows(p).length === 0,
      'nobody has it yet',
    );
    const created = await rita.create({ name: '空格号码客户', phone: `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}` });
    await p.waitFor(() => rows(p).length === 1 && rows(p)[0]!.id === created.id, 'the new customer under the search');
  });

  test("a teammate's new customer appears live where it sorts (only when it matches the filter), and an edit patches its row, each in a small setData", async () => {
    const p = await openList();
    // Leads only, by name: every lead fits on one page, so a new one has a place among them.
    fire(p.comp.querySelector('.statuses'), 'change', { value: 'lead' });
    await p.waitFor(() => rows(p).length > 0 && rows(p).every((r) => r.text.includes('线索')), 'leads only');
    tap(p.comp.querySelector('.toolbar__sort'));
    await p.waitFor(
      () => (p.comp.querySelector('.sheet')?.querySelectorAll('.t-action-sheet__list-item').length ?? 0) === 3,
      'the sort sheet',
    );
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[1]);
    await p.waitFor((t) => t.includes('排序：姓名'), 'sorted by name');
    const leads = await rita.list('?status=lead&sortBy=name&limit=100');
    await p.waitFor(
      () =>
        rows(p)
          .map((r) => r.id)
          .join() === leads.customers.map((c) => c.id).join(),
      'leads by name',
    );
    const sent = captureSetData(p);

    const newLead = await rita.create({ name: '刘一鸣', company: '实时推送测试公司', phone: freshPhone(), status: 'lead' });
    await p.waitFor((t) => t.includes('刘一鸣'), 'the new lead');
    const expectedOrder = (await rita.list('?status=lead&sortBy=name&limit=100')).customers.map((c) => c.id);
    expect(rows(p).map((r) => r.id)).toEqual(expectedOrder);
    expect(p.text()).toContain(`共 ${leads.total + 1} 位客户`);

    const prospect = await rita.create({ name: '不该出现的意向客户', phone: freshPhone(), status: 'prospect' });
    const renamed = await rita.update(newLead, { company: '改名后的公司' });
    await p.waitFor((t) => t.includes('改名后的公司'), 'the edited row');
    expect(p.text()).not.toContain(prospect.name);
    expect(renamed.version).toBe(newLead.version + 1);

    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const patch of sent) {
      expect(patchBytes(patch), JSON.stringify(patch)).toBeLessThan(1024);
      expect(Object.keys(patch)).not.toContain('rows');
    }
  });

  test('the call button dials, logs the call and its outcome; the message button opens the conversation', async () => {
    const p = await openList();
    const first = (await rita.list()).customers[0]!;
    phone.wx.script.actionSheetAnswers.push(0);
    tap(p.comp.querySelector(`#call-${first.id}`));
    await p.waitFor((t) => t.includes('已记录通话'), 'the call logged toast');
    expect(phone.wx.phoneCalls.at(-1)).toBe(first.phone);
    expect(phone.wx.actionSheets.at(-1)!.itemList).toEqual(['已接通', '未接通']);
    expect(phone.wx.navigations.some((n) => n.url?.includes('customer-detail'))).toBe(false);
    const logs = await rita.communications(first.id);
    expect(logs.slice(0, 2).map((c) => c.status)).toEqual(['completed', 'initiated']);
    expect(logs[0]!.userId).toBe(phone.user.id);

    const navigations = phone.wx.navigations.length;
    tap(p.comp.querySelector(`#message-${first.id}`));
    expect(phone.wx.navigations.length).toBe(navigations + 1);
    expect(phone.wx.navigations.at(-1)?.url).toBe(`/pages/message/index?customerId=${first.id}&name=${encodeURIComponent(first.name)}`);
  });

  test('pull-down refresh reloads the list and stops the spinner', async () => {
    const p = await openList();
    phone.realtime.stop();
    const first = (await rita.list()).customers[0]!;
    await rita.update(first, { name: '下拉刷新后的名字' });
    await p.call<Promise<void>>('onPullDownRefresh');
    expect(p.text()).toContain('下拉刷新后的名字');
    expect(phone.wx.pullDownStops).toBeGreaterThanOrEqual(1);
    phone.realtime.start();
  });
});
