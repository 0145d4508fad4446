// @vitest-environment jsdom
import type { Customer, LoginResponse, Opportunity } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { http, signIn } from '../../realtime-server/test/support/clients.js';
import { startFakeCode2Session } from '../../realtime-server/test/support/fake-code2session.js';
import { startCluster, type TestCluster } from '../../realtime-server/test/support/nodes.js';
import { putDown, requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { openPage, tap, textOf, type OpenedPage } from '../../miniprogram/test/support/page';

let cluster: TestCluster;
let wechat: Awaited<ReturnType<typeof startFakeCode2Session>>;
let root: string;
let nodeA: string;
let nodeB: string;
let phone: Awaited<ReturnType<typeof signedInPhone>> | null = null;
let page: OpenedPage | null = null;
let joiners = 0;

beforeAll(async () => {
  wechat = await startFakeCode2Session();
  [cluster, root] = await Promise.all([startCluster(2, { env: wechat.env }), ensureBuilt()]);
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
});
afterEach(() => {
  putDown(root, phone?.wx ?? null, page);
  page = null;
  phone = null;
});
afterAll(async () => {
  await cluster?.stop();
  await wechat?.close();
});

/** Someone joins East through an invitation of Mia's, on node B (another phone, another node). */
async function joinEast(name: string, code?: string): Promise<LoginResponse> {
  const mia = await signIn(nodeB, 'mia');
  code ??= (await mia.send('POST', '/api/crm/invitations', { role: 'rep' })).body.invitation.code;
  const res = await http<LoginResponse>(nodeB, 'POST', '/api/auth/join', {
    body: { code, wxCode: `wx:o-member-${process.pid}-${++joiners}`, name },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function open(login: string, language?: string): Promise<OpenedPage> {
  phone = await signedInPhone(root, nodeA, login, language ? { language } : {});
  const p = (page = openPage(root, 'members'));
  await p.waitFor((t) => /在职成员|active members/.test(t), 'the member list');
  await expect.poll(() => phone!.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

const row = (p: OpenedPage, id: number): string => textOf(p.comp.dom.querySelector(`[data-member="${id}"]`));

describe('members page', () => {
  test('a manager sees the team with roles, invites through a shared card, and sees the newcomer appear live', async () => {
    const p = await open('mia');
    expect(p.text()).toContain('在职成员 3 人');
    expect(p.text()).toMatch(/张敏经理 · 我/);
    expect(p.text()).toContain('李锐销售');
    expect(p.text()).toContain('王婷销售');

    tap(p.comp.querySelector('.invite'));
    await p.waitFor((t) => t.includes('邀请已创建'), 'the invitation popup');
    expect(p.text()).toContain('发送给微信好友');
    const share = p.call<{ title: string; path: string }>('onShareAppMessage', { from: 'button' });
    expect(share.title).toBe('张敏邀请你加入团队');
    expect(share.path).toMatch(/^\/pages\/join\/index\?code=[A-Za-z0-9_-]{22}$/);
    await p.waitFor((t) => t.includes('有效邀请') && t.includes('已用 0/1'), 'the open invitation');

    // The card's code works: someone joins on the other node, and the list grows live.
    const joined = await joinEast('周新', share.path.split('code=')[1]);
    await p.waitFor((t) => t.includes('周新'), 'the newcomer, live');
    expect(row(p, joined.user.id)).toContain('周新销售');
    expect(p.text()).toContain('在职成员 4 人');
  });

  test('a manager deactivates a rep with a handover: the heir is picked, the rep shows deactivated, the records move', async () => {
    const leaver = await joinEast('离职甲');
    const customer = (
      await http<{ customer: Customer }>(nodeB, 'POST', '/api/crm/customers', { token: leaver.token, body: { name: '甲的客户' } })
    ).body.customer;
    const p = await open('mia');
    tap(p.comp.querySelector(`#deactivate-${leaver.user.id}`));
    await p.waitFor((t) => t.includes('停用离职甲：其客户、进行中的商机和未完成任务交接给谁？'), 'the handover sheet');
    const items = p.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item');
    const names = items.map((i) => textOf(i.dom));
    expect(names).toEqual(expect.arrayContaining(['张敏（经理）', '李锐（销售）', '王婷（销售）']));
    expect(names.some((n) => n.startsWith('离职甲'))).toBe(false);
    tap(items[names.indexOf('王婷（销售）')]);
    await p.waitFor((t) => t.includes('已停用离职甲，交接客户 1 位、商机 0 个、任务 0 个'), 'the confirmation');
    expect(phone!.wx.modals.at(-1)).toEqual({
      title: '确认停用离职甲？',
      content: '离职甲将立即退出登录，其客户、商机和任务全部交接给王婷。',
    });
    expect(row(p, leaver.user.id)).toContain('已停用');
    expect(p.comp.querySelector(`#deactivate-${leaver.user.id}`)).toBeFalsy();
    const rita = await signIn(nodeB, 'rita');
    expect((await rita.get<{ customer: Customer }>(`/api/crm/customers/${customer.id}`)).body.customer.ownerId).toBe(rita.user.id);
    expect((await http(nodeB, 'GET', '/api/me', { token: leaver.token })).status).toBe(401);

    // The heir reads it in their notification centre, in their language.
    putDown(root, phone!.wx, page);
    phone = await signedInPhone(root, nodeA, 'rita');
    const inbox = (page = openPage(root, 'notifications'));
    await inbox.waitFor((t) => t.includes('离职甲的工作已交接给你'), "the heir's notification");
    expect(inbox.text()).toContain('客户 1 位、商机 0 个、任务 0 个');
  });

  test("a teammate's page shows a deactivation live; a rep sees no invite or deactivate buttons", async () => {
    const leaver = await joinEast('离职乙');
    const p = await open('ray');
    expect(p.comp.querySelector('.invite')).toBeFalsy();
    expect(p.comp.querySelector('.deactivate')).toBeFalsy();
    expect(row(p, leaver.user.id)).not.toContain('已停用');
    const mia = await signIn(nodeB, 'mia');
    const rita = await signIn(nodeB, 'rita');
    expect((await mia.send('POST', `/api/crm/members/${leaver.user.id}/deactivate`, { handoverTo: rita.user.id })).status).toBe(200);
    await p.waitFor(() => row(p, leaver.user.id).includes('已停用'), 'the deactivation, live');
  });

  test("after a handover a teammate's pipeline shows the leaver's deal with its new owner, live", async () => {
    const leaver = await joinEast('离职丙');
    const as = <T>(path: string, body: unknown) => http<T>(nodeB, 'POST', path, { token: leaver.token, body });
    const { customer } = (await as<{ customer: Customer }>('/api/crm/customers', { name: '丙的客户' })).body;
    const deal = (
      await as<{ opportunity: Opportunity }>('/api/crm/opportunities', { customerId: customer.id, title: '丙的大单', valueCents: 880_000 })
    ).body.opportunity;
    phone = await signedInPhone(root, nodeA, 'ray');
    const p = (page = openPage(root, 'pipeline'));
    const card = () => textOf(p.comp.dom.querySelector(`[data-stage="${deal.stageId}"] [data-id="${deal.id}"]`));
    await p.waitFor(() => card().includes('离职丙'), "the leaver's deal");
    await expect.poll(() => phone!.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    const mia = await signIn(nodeB, 'mia');
    const rita = await signIn(nodeB, 'rita');
    expect((await mia.send('POST', `/api/crm/members/${leaver.user.id}/deactivate`, { handoverTo: rita.user.id })).status).toBe(200);
    await p.waitFor(() => card().includes('王婷') && !card().includes('离职丙'), 'the new owner, live');
  });

  test('an admin picks the team to manage and invites a manager into it', async () => {
    const p = await open('ada');
    await p.waitFor((t) => t.includes('华东组'), 'the team shown');
    tap(p.comp.querySelector('#team-pick'));
    const items = p.comp.querySelector('.team-sheet')!.querySelectorAll('.t-action-sheet__list-item');
    const names = items.map((i) => textOf(i.dom));
    expect(names).toEqual(['华东组', '华西组']);
    tap(items[1]);
    await p.waitFor((t) => t.includes('刘伟') && !t.includes('加载中'), "West's members");
    expect(p.text()).not.toContain('李锐');
    phone!.wx.script.actionSheetAnswers.push(1);
    tap(p.comp.querySelector('.invite'));
    await p.waitFor((t) => t.includes('邀请已创建'), 'the invitation popup');
    expect(phone!.wx.actionSheets.at(-1)).toEqual({ itemList: ['邀请销售', '邀请经理'] });
    const ada = await signIn(nodeB, 'ada');
    const west = (await signIn(nodeB, 'wes')).user.teamId!;
    const { invitations } = (await ada.get<{ invitations: Array<{ role: string; teamId: number }> }>('/api/crm/invitations')).body;
    expect(invitations[0]).toMatchObject({ role: 'manager', teamId: west });
    expect(p.text()).toContain('邀请经理');
  });

  test('speaks English on an English phone', async () => {
    const p = await open('mia', 'en');
    expect(p.text()).toContain('Invite');
    expect(p.text()).toMatch(/Zhang Min|张敏/);
    expect(p.text()).toContain('Manager · you');
  });
});
