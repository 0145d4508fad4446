// @vitest-environment jsdom
import type { Customer } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone } from './support/app';
import { ensureBuilt } from './support/build';
import { bytesOf, captureSetData, crmTeammate, type CrmTeammate } from './support/customers';
import { fire, openPage, tap, textOf, type OpenedPage } from './support/page';

let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let rita: CrmTeammate;
let page: OpenedPage | null = null;
let customer: Customer;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
  rita = await crmTeammate(server.url, 'rita');
  customer = (await rita.list('?sortBy=name')).customers[2]!;
});
afterEach(() => { page?.close(); page = null; });
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
});

const bubbles = (p: OpenedPage) => [...p.comp.dom.querySelectorAll('.main--msg')].map((el) => textOf(el));

describe('message page against a real server', () => {
  test('history oldest first; sending shows at once and once; a teammate’s message arrives live', async () => {
    await rita.sendMessage(customer.id, '第一条：您好');
    await rita.sendMessage(customer.id, '第二条：报价已发');
    const p = page = openPage(root, 'message', { customerId: String(customer.id), name: encodeURIComponent(customer.name) });
    await p.waitFor((t) => t.includes('第二条：报价已发'), 'the history');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(phone.wx);
    expect(phone.wx.titles.at(-1)).toBe(customer.name);
    expect(bubbles(p)).toEqual([expect.stringMatching(/^RRita Wang · \d\d:\d\d\s*第一条：您好$/), expect.stringMatching(/第二条：报价已发$/)]);

    fire(p.comp.querySelector('.composer__input'), 'change', { value: '好的，明天上午见' });
    await p.waitFor(() => p.comp.instance.data['draft'] === '好的，明天上午见', 'the draft');
    tap(p.comp.querySelector('.send'));
    expect(bubbles(p).at(-1)).toContain('好的，明天上午见');
    expect(bubbles(p).at(-1)).toContain('发送中');
    await p.waitFor(() => !(bubbles(p).at(-1) ?? '').includes('发送中'), 'the sent message');
    await new Promise((r) => setTimeout(r, 300)); // our own live echo must not add a second bubble
    expect(bubbles(p).filter((b) => b.includes('好的，明天上午见'))).toHaveLength(1);
    expect((await rita.messages(customer.id)).filter((m) => m.content === '好的，明天上午见')).toHaveLength(1);

    const sent = captureSetData(p);
    await rita.sendMessage(customer.id, '丽塔补充：记得带合同');
    await p.waitFor(() => (bubbles(p).at(-1) ?? '').includes('丽塔补充：记得带合同'), 'the live message');
    for (const patch of sent) expect(bytesOf(patch)).toBeLessThan(1024);
  });
});
