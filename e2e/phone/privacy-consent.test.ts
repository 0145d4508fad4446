// @vitest-environment jsdom
import type { Customer } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import type { WxHandles } from '../../test-support/wx/index';
import { putDown, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { fire, openPage, preload, tap, type OpenedPage, type SimComponent } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let wx: WxHandles | null = null;
let page: OpenedPage | null = null;
let customer: Customer;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  preload(root, 'customer-detail');
  const ray = await signIn(server.url, 'ray');
  const { customers } = (await ray.get<{ customers: Customer[] }>('/api/crm/customers?sortBy=name')).body;
  // One of ray's own: the pool shows reps masked numbers, which are not offered for copying.
  customer = customers.find((c) => c.ownerId === ray.user.id && c.phone && c.email)!;
});
afterEach(() => {
  putDown(root, wx, page);
  [page, wx] = [null, null];
});
afterAll(() => server?.stop());

async function openCustomer(language?: string): Promise<{ phone: WxHandles; p: OpenedPage }> {
  const phone = (wx = (await signedInPhone(root, server.url, 'ray', language ? { language } : {})).wx);
  const p = (page = openPage(root, 'customer-detail', { id: String(customer.id) }));
  await p.waitFor((t) => t.includes(customer.phone!) && !/加载中|Loading/.test(t), 'the customer');
  return { phone, p };
}

const sheetOf = (p: OpenedPage): SimComponent => p.comp.querySelector('.privacy-sheet')!;
const sheetText = (p: OpenedPage): string => (sheetOf(p).dom.textContent ?? '').replace(/\s+/g, ' ');
/** The sheet's popup is open (its content stays in the DOM while closed, as TDesign renders it). */
const sheetShown = (p: OpenedPage): boolean => sheetOf(p).querySelector('.privacy-popup')?.instance.data['visible'] === true;

/**
 * The user taps the sheet's agree button: WeChat notes the tap on that native button (t-button
 * renders `<button id="{{tId}}" open-type="{{openType}}">`), then the page hears of it.
 */
function tapAgree(p: OpenedPage, phone: WxHandles): void {
  const button = sheetOf(p).querySelector('.privacy__agree')!;
  const { tId, openType } = button.instance.data as { tId?: string; openType?: string };
  expect(openType).toBe('agreePrivacyAuthorization');
  if (!tId) throw new Error('the agree button has no id for WeChat to check');
  phone.privacy.tapAgreeButton(tId);
  fire(button, 'agreeprivacyauthorization');
}

describe('privacy consent before the first privacy API', () => {
  test('the first copy asks; declining says what does not work and copies nothing', async () => {
    const { phone, p } = await openCustomer();
    expect(sheetShown(p)).toBe(false);
    fire(p.comp.querySelector('.fact-phone'), 'click');
    await expect.poll(() => sheetShown(p)).toBe(true);
    expect(sheetText(p)).toContain('用户隐私保护指引');
    expect(sheetText(p)).toContain('复制到剪贴板前，请阅读并同意《Live CRM 小程序隐私保护指引》');
    expect(phone.privacy.exposures).toEqual(['setClipboardData']);
    tap(sheetOf(p).querySelector('.privacy__refuse'));
    await p.waitFor((t) => t.includes('你没有同意隐私保护指引，本次未做任何操作：复制到剪贴板需要你的同意'), 'the explanation');
    expect(phone.privacy.clipboard).toBe('');
    expect(phone.privacy.agreed()).toBe(false);
    expect(phone.toasts).toEqual([]);
    expect(phone.reportedErrors).toEqual([]);
  });

  test('agreeing lets the copy go through; the next copy asks nothing', async () => {
    const { phone, p } = await openCustomer();
    fire(p.comp.querySelector('.fact-phone'), 'click');
    await expect.poll(() => sheetShown(p)).toBe(true);
    tapAgree(p, phone);
    await expect.poll(() => phone.privacy.clipboard).toBe(customer.phone);
    expect(phone.toasts).toContainEqual({ title: '内容已复制', icon: 'success' });
    await expect.poll(() => sheetShown(p)).toBe(false);
    fire(p.comp.querySelector('.fact-email'), 'click');
    await expect.poll(() => phone.privacy.clipboard).toBe(customer.email);
    expect(phone.privacy.exposures).toEqual(['setClipboardData']);
    expect(phone.reportedErrors).toEqual([]);
  });

  test('an English phone is asked in English and can read the guide first', async () => {
    const { phone, p } = await openCustomer('en');
    fire(p.comp.querySelector('.fact-email'), 'click');
    await expect.poll(() => sheetShown(p)).toBe(true);
    expect(sheetText(p)).toContain('Privacy guide');
    expect(sheetText(p)).toContain('Before copying to the clipboard, please read and agree to');
    tap(sheetOf(p).querySelector('.privacy__contract'));
    await expect.poll(() => phone.privacy.contractOpens).toBe(1);
    tap(sheetOf(p).querySelector('.privacy__refuse'));
    await p.waitFor((t) => t.includes('so nothing was done: copying to the clipboard needs your consent'), 'the explanation');
    expect(phone.privacy.clipboard).toBe('');
  });
});
