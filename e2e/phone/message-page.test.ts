// @vitest-environment jsdom
import type { Customer } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { crmTeammate, type CrmTeammate } from '../support/customers';
import { fire, openPage, tap, textOf, type OpenedPage, captureSetData, patchBytes } from '../../miniprogram/test/support/page';

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
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
});

const bubbles = (p: OpenedPage) => [...p.comp.dom.querySelectorAll('.main--msg')].map((el) => textOf(el));
/** Each record's classes, without the page prefix: the layout a reader sees. */
const layouts = (p: OpenedPage) => [...p.comp.dom.querySelectorAll('.main--msg')].map((el) => el.className.replace(/main--/g, '').trim());

describe('message page against a real server', () => {
  test('history oldest first; sending shows at once and once; a teammate’s message arrives live', async () => {
    await rita.sendMessage(customer.id, '第一条：您好');
    await rita.sendMessage(customer.id, '第二条：报价已发');
    const p = (page = openPage(root, 'message', { customerId: String(customer.id), name: encodeURIComponent(customer.name) }));
    await p.waitFor((t) => t.includes('第二条：报价已发'), 'the history');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(phone.wx);
    expect(phone.wx.titles.at(-1)).toBe(customer.name);
    const initial = Array.from(rita.user.name)[0]!;
    expect(bubbles(p)).toEqual([
      expect.stringMatching(new RegExp(`^${initial}${rita.user.name} · \\d\\d:\\d\\d复制第一条：您好$`)),
      expect.stringMatching(/第二条：报价已发$/),
    ]);

    fire(p.comp.querySelector('.composer__input'), 'change', { value: '好的，明天上午见' });
    await p.waitFor(() => p.comp.instance.data['draft'] === '好的，明天上午见', 'the draft');
    tap(p.comp.querySelector('.send'));
    expect(bubbles(p).at(-1)).toContain('好的，明天上午见');
    expect(bubbles(p).at(-1)).toContain('记录中');
    await p.waitFor(() => !(bubbles(p).at(-1) ?? '').includes('记录中'), 'the saved message');
    await new Promise((r) => setTimeout(r, 300)); // our own live echo must not add a second bubble
    expect(bubbles(p).filter((b) => b.includes('好的，明天上午见'))).toHaveLength(1);
    expect((await rita.messages(customer.id)).filter((m) => m.content === '好的，明天上午见')).toHaveLength(1);

    const sent = captureSetData(p);
    await rita.sendMessage(customer.id, '丽塔补充：记得带合同');
    await p.waitFor(() => (bubbles(p).at(-1) ?? '').includes('丽塔补充：记得带合同'), 'the live message');
    for (const patch of sent) expect(patchBytes(patch)).toBeLessThan(1024);
  });
  test('says plainly that nothing reaches the customer, and hands the text to WeChat by copying it', async () => {
    await rita.sendMessage(customer.id, '报价单已更新，请查收');
    const p = (page = openPage(root, 'message', { customerId: String(customer.id), name: encodeURIComponent(customer.name) }));
    await p.waitFor((t) => t.includes('报价单已更新，请查收'), 'the log');
    expect(textOf(p.comp.dom.querySelector('.main--notice'))).toBe(
      '这里的消息只记录给团队看，不会发给客户。要发给客户，请复制后在微信里发送。',
    );
    expect(phone.wx.titles.at(-1)).toBe(customer.name);

    const row = [...p.comp.dom.querySelectorAll('.main--msg')].findIndex((el) => textOf(el).includes('报价单已更新，请查收'));
    tap(p.comp.querySelectorAll('.msg__copy')[row]);
    // The clipboard is a privacy API: the first copy waits for the consent sheet's agree button.
    const sheet = p.comp.querySelector('.privacy-sheet')!;
    await expect.poll(() => sheet.querySelector('.privacy-popup')?.instance.data['visible']).toBe(true);
    const agree = sheet.querySelector('.privacy__agree')!;
    phone.wx.privacy.tapAgreeButton(String(agree.instance.data['tId']));
    fire(agree, 'agreeprivacyauthorization');
    await expect.poll(() => phone.wx.privacy.clipboard).toBe('报价单已更新，请查收');
    await p.waitFor((t) => t.includes('已复制，可在微信里粘贴发给客户'), 'the copied toast');
  });

  test('our records and a teammate’s share one layout: nothing reads as the customer replying', async () => {
    await rita.sendMessage(customer.id, '丽塔：客户要样品');
    const p = (page = openPage(root, 'message', { customerId: String(customer.id), name: encodeURIComponent(customer.name) }));
    await p.waitFor((t) => t.includes('丽塔：客户要样品'), 'the log');
    fire(p.comp.querySelector('.composer__input'), 'change', { value: '我：样品已寄出' });
    await p.waitFor(() => p.comp.instance.data['draft'] === '我：样品已寄出', 'the draft');
    tap(p.comp.querySelector('.send'));
    await p.waitFor(() => /我 · \d\d:\d\d复制我：样品已寄出$/.test(bubbles(p).at(-1) ?? ''), 'our record, saved');
    const mine = bubbles(p).length - 1;
    const teammate = bubbles(p).findIndex((b) => b.includes('丽塔：客户要样品'));
    expect(bubbles(p)[teammate]).toContain(rita.user.name);
    expect(layouts(p)[mine]).toBe('msg');
    expect(layouts(p)[teammate]).toBe(layouts(p)[mine]);
    expect(textOf(p.comp.dom.querySelector('.main--log'))).not.toContain('发送');
    expect(p.text()).toMatch(/记录$/); // the composer's button records; it does not send
  });
});
