// @vitest-environment jsdom
import type { InvitationCreatedResponse, PipelineResponse } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { http, signIn } from '../../realtime-server/test/support/clients.js';
import { startFakeCode2Session } from '../../realtime-server/test/support/fake-code2session.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { BASE_URL_KEY, putDown, SESSION_KEY } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { appModule, fire, openPage, tap, type OpenedPage } from '../../miniprogram/test/support/page';

let node: TestNode;
let wechat: Awaited<ReturnType<typeof startFakeCode2Session>>;
let root: string;
let wx: WxHandles | null = null;
let page: OpenedPage | null = null;
let mia: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  wechat = await startFakeCode2Session();
  [node, root] = await Promise.all([startTestNode({ env: wechat.env }), ensureBuilt()]);
  mia = await signIn(node.url, 'mia');
});
afterEach(() => {
  putDown(root, wx, page);
  page = null;
  wx = null;
});
afterAll(async () => {
  await node?.stop();
  await wechat?.close();
});

/** A signed-out phone whose wx.login answers `openId`'s code. */
function phone(openId: string, language?: string): WxHandles {
  wx = installWx({ loginCode: () => `wx:${openId}`, ...(language ? { language } : {}) });
  wx.storage.set(BASE_URL_KEY, node.url);
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  return wx;
}

async function invitation(body: Record<string, unknown> = { role: 'rep' }): Promise<InvitationCreatedResponse> {
  const res = await mia.send<InvitationCreatedResponse>('POST', '/api/crm/invitations', body);
  expect(res.status).toBe(201);
  return res.body;
}

/** Opens the page a shared card's path names (`pages/join/index?code=...`). */
function openShared(path: string): OpenedPage {
  const code = new URLSearchParams(path.split('?')[1]).get('code')!;
  return (page = openPage(root, 'join', { code }));
}

const session = () => wx!.storage.get(SESSION_KEY) as { token: string; user: { name: string; teamId: number; role: string } } | '';

describe('join page', () => {
  test('a new rep opens the shared card signed out, types a name, joins with WeChat and lands on the live pipeline', async () => {
    const { path } = await invitation();
    const w = phone(`o-new-${process.pid}`);
    const p = openShared(path);
    await p.waitFor((t) => t.includes('受邀加入团队'), 'the join form');
    // Reachable signed out, like the login page: no redirect, nothing fetched yet.
    expect(w.navigations).toEqual([]);
    expect(w.requests).toEqual([]);
    expect(p.text()).toContain('微信登录并加入');

    tap(p.comp.querySelector('.join'));
    await p.waitFor((t) => t.includes('请填写姓名'), 'the missing name');
    expect(w.requests).toEqual([]);

    fire(p.comp.querySelector('#join-name'), 'change', { value: '周新' });
    tap(p.comp.querySelector('.join'));
    await p.waitFor((t) => t.includes('欢迎，周新'), 'the welcome toast');
    expect(session()).toMatchObject({ user: { name: '周新', role: 'rep', teamId: mia.user.teamId } });
    expect(JSON.stringify(session())).not.toContain('secret-session-key');
    expect(w.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: '/pages/pipeline/index' });

    // The pipeline the new rep lands on is the team's.
    p.close();
    const pipeline = (page = openPage(root, 'pipeline'));
    await pipeline.waitFor((t) => t.includes('线索') && !t.includes('加载中'), 'the pipeline');
    const mine = await http<PipelineResponse>(node.url, 'GET', '/api/crm/pipeline', { token: (session() as { token: string }).token });
    expect(mine.body.opportunities.every((o) => o.teamId === mia.user.teamId)).toBe(true);
  });

  test('a revoked, expired or used-up code shows a clear page and signs nobody in; the button goes to sign-in', async () => {
    const { invitation: inv, path } = await invitation();
    await mia.send('DELETE', `/api/crm/invitations/${inv.id}`);
    const w = phone(`o-late-${process.pid}`);
    const p = openShared(path);
    await p.waitFor((t) => t.includes('受邀加入团队'), 'the join form');
    fire(p.comp.querySelector('#join-name'), 'change', { value: '迟到' });
    tap(p.comp.querySelector('.join'));
    await p.waitFor((t) => t.includes('邀请已失效'), 'the gone page');
    expect(p.text()).toContain('已过期、已被撤销或名额已用完');
    expect(p.text()).not.toContain('微信登录并加入');
    expect(session()).toBe('');
    tap(p.comp.querySelector('.to-login'));
    expect(w.navigations.at(-1)).toEqual({ kind: 'reLaunch', url: '/pages/login/index' });
  });

  test('a card without a code, or with one that never existed, says the link is not recognised', async () => {
    phone(`o-nocode-${process.pid}`);
    const p = (page = openPage(root, 'join'));
    await p.waitFor((t) => t.includes('邀请链接无效'), 'the invalid page');
    putDown(root, wx, page);
    phone(`o-typo-${process.pid}`);
    const q = (page = openPage(root, 'join', { code: 'not-a-real-invitation-code' }));
    fire(q.comp.querySelector('#join-name'), 'change', { value: '某人' });
    tap(q.comp.querySelector('.join'));
    await q.waitFor((t) => t.includes('邀请链接无效'), 'the invalid page');
  });

  test('speaks English on an English phone', async () => {
    const { path } = await invitation();
    phone(`o-en-${process.pid}`, 'en');
    const p = openShared(path);
    await p.waitFor((t) => t.includes("You're invited to join a team"), 'the English form');
    expect(p.text()).toContain('Join with WeChat');
    fire(p.comp.querySelector('#join-name'), 'change', { value: 'Li Ming' });
    tap(p.comp.querySelector('.join'));
    await p.waitFor((t) => t.includes('Li Ming'), 'the welcome toast');
  });
});
