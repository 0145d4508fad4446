// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { crmTeammate, freshPhone, type CrmTeammate } from '../support/customers';
import { fire, openPage, tap, type OpenedPage } from '../../miniprogram/test/support/page';

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

const input = (p: OpenedPage, field: string, value: string) => fire(p.comp.querySelector(`#field-${field}`), 'change', { value });
const posts = () => phone.wx.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/crm/customers'));

async function openForm(query: Record<string, string> = {}): Promise<OpenedPage> {
  const p = (page = openPage(root, 'customer-form', query));
  await p.waitFor((t) => t.includes('姓名') && t.includes('保存') && !t.includes('加载中'), 'the form');
  return p;
}

describe('customer form against a real server', () => {
  test('field errors show inline: our own checks first, then the server’s 400 fields', async () => {
    const p = await openForm();
    expect(phone.wx.titles.at(-1)).toBe('新建客户');
    input(p, 'phone', '12-34');
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('请填写客户姓名') && t.includes('请输入 5–20 位数字的电话号码'), 'inline errors');
    expect(posts()).toHaveLength(0);

    // Passes our shape check, but the server's email rule refuses it: its 400 `details.fields` shows inline.
    input(p, 'name', '赵小北');
    input(p, 'phone', freshPhone());
    input(p, 'email', 'zhao@mail.c');
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('请输入有效的邮箱地址'), 'the server’s email error');
    expect(posts().at(-1)?.statusCode).toBe(400);
    expect(p.text()).not.toContain('请填写客户姓名');
    expect(phone.wx.navigations.some((n) => n.kind === 'redirectTo')).toBe(false);
  });

  test('a new customer is saved and opened', async () => {
    const p = await openForm();
    const mobile = freshPhone();
    input(p, 'name', '钱多多');
    input(p, 'company', '钱氏五金有限公司');
    const typed = `${mobile.slice(0, 3)}-${mobile.slice(3, 7)} ${mobile.slice(7)}`;
    input(p, 'phone', typed);
    input(p, 'email', 'QIAN@Example.cn');
    fire(p.comp.querySelector('.status'), 'click');
    await p.waitFor(
      () => (p.comp.querySelector('.sheet')?.querySelectorAll('.t-action-sheet__list-item').length ?? 0) === 4,
      'the status sheet',
    );
    tap(p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[2]);
    tap(p.comp.querySelector('.submit'));
    await expect.poll(() => phone.wx.navigations.at(-1)?.kind).toBe('redirectTo');
    const id = Number(/id=(\d+)/.exec(phone.wx.navigations.at(-1)!.url!)![1]);
    expect(await rita.get(id)).toMatchObject({
      name: '钱多多',
      company: '钱氏五金有限公司',
      phone: typed,
      email: 'qian@example.cn',
      status: 'active',
    });
  });

  test('a duplicate phone offers to open the existing customer', async () => {
    const existing = (await rita.list('?sortBy=name')).customers[0]!;
    const p = await openForm();
    input(p, 'name', '另一个名字');
    input(p, 'phone', `${existing.phone!.slice(0, 3)} ${existing.phone!.slice(3)}`);
    tap(p.comp.querySelector('.submit'));
    await p.waitFor(
      (t) => t.includes('客户已存在') && t.includes(`“${existing.name}（${existing.company}）”已使用这个电话号码`),
      'the duplicate dialog',
    );
    expect(p.text()).toContain('已有其他客户使用');
    const dialog = p.comp.querySelector('.duplicate')!;
    tap(dialog.querySelector('.t-dialog__button--confirm') ?? dialog.querySelectorAll('.t-dialog__button')[1]);
    await expect.poll(() => phone.wx.navigations.at(-1)?.url).toBe(`/pages/customer-detail/index?id=${existing.id}`);
    expect(phone.wx.navigations.at(-1)?.kind).toBe('redirectTo');
    expect((await rita.list(`?keyword=${encodeURIComponent('另一个名字')}`)).total).toBe(0);
  });

  test('a number another team holds says so, without opening or naming that customer', async () => {
    const will = await crmTeammate(server.url, 'will');
    const mobile = freshPhone();
    await will.create({ name: '西区的客户', phone: mobile });
    const p = await openForm();
    const navigations = phone.wx.navigations.length;
    input(p, 'name', '东区的客户');
    input(p, 'phone', `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`);
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('其他团队的客户已使用这个电话号码'), 'the other-team notice');
    expect(p.text()).not.toContain('西区的客户');
    expect(phone.wx.navigations.length).toBe(navigations);
    expect((await rita.list(`?keyword=${encodeURIComponent('东区的客户')}`)).total).toBe(0);
  });

  test('editing saves with the version; a teammate’s earlier edit (409) shows the fresh record and who made it', async () => {
    const customer = (await rita.list('?sortBy=name')).customers[3]!;
    let p = await openForm({ id: String(customer.id) });
    expect(phone.wx.titles.at(-1)).toBe('编辑客户');
    await expect.poll(() => (p.comp.instance.data['values'] as { name: string }).name).toBe(customer.name);
    input(p, 'address', '杭州市西湖区文三路 90 号');
    tap(p.comp.querySelector('.submit'));
    await expect.poll(() => phone.wx.navigations.at(-1)?.kind).toBe('navigateBack');
    const saved = await rita.get(customer.id);
    expect(saved).toMatchObject({ address: '杭州市西湖区文三路 90 号', version: customer.version + 1 });
    p.close();
    page = null;

    p = page = await openForm({ id: String(saved.id) });
    await expect.poll(() => (p.comp.instance.data['values'] as { name: string }).name).toBe(saved.name);
    await rita.update(saved, { company: '丽塔改过的公司' });
    input(p, 'company', '我的改动');
    const navigations = phone.wx.navigations.length;
    tap(p.comp.querySelector('.submit'));
    await p.waitFor((t) => t.includes('王婷已修改此客户'), 'the conflict notice');
    expect((p.comp.instance.data['values'] as { company: string }).company).toBe('丽塔改过的公司');
    expect(phone.wx.navigations.length).toBe(navigations);
  });
});
