import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvitationCreatedResponse, LoginResponse, MembersResponse, PipelineResponse } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startFakeCode2Session } from '../support/fake-code2session.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let cluster: TestCluster;
let url: string;
let otherNode: string;
let wechat: Awaited<ReturnType<typeof startFakeCode2Session>>;
const sockets: WeappClient[] = [];
let people: Record<'ray' | 'mia' | 'wes' | 'ada' | 'oscar' | 'will', Awaited<ReturnType<typeof signIn>>>;
let openIds = 0;
const newOpenId = () => `o-joiner-${process.pid}-${++openIds}`;

beforeAll(async () => {
  wechat = await startFakeCode2Session();
  cluster = await startCluster(2, { env: { ...wechat.env, REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
  [url, otherNode] = cluster.nodes.map((n) => n.url) as [string, string];
  const logins = ['ray', 'mia', 'wes', 'ada', 'oscar', 'will'] as const;
  people = Object.fromEntries(await Promise.all(logins.map(async (l) => [l, await signIn(url, l)]))) as typeof people;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.stop();
  await wechat?.close();
});

const east = () => people.mia.user.teamId!;
const west = () => people.wes.user.teamId!;

async function invite(who: keyof typeof people, body: Record<string, unknown>): Promise<InvitationCreatedResponse> {
  const res = await people[who].send<InvitationCreatedResponse>('POST', '/api/crm/invitations', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const join = (code: string, openId: string, name = '新同事', node = url) =>
  http<LoginResponse>(node, 'POST', '/api/auth/join', { body: { code, wxCode: `wx:${openId}`, name } });

describe('who may invite whom (ARCHITECTURE 9.1)', () => {
  it('a manager invites reps to their own team only; an admin reps or managers to any team of the tenant; reps are refused', async () => {
    const created = await invite('mia', { role: 'rep' });
    expect(created.invitation).toMatchObject({ teamId: east(), role: 'rep', maxUses: 1, uses: 0 });
    expect(created.invitation.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.path).toBe(`pages/join/index?code=${created.invitation.code}`);
    const hours = (Date.parse(created.invitation.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);

    const status = async (who: keyof typeof people, body: Record<string, unknown>) =>
      (await people[who].send('POST', '/api/crm/invitations', body)).status;
    expect(await status('mia', { role: 'manager' })).toBe(403);
    expect(await status('mia', { role: 'rep', teamId: west() })).toBe(404);
    expect(await status('ray', { role: 'rep' })).toBe(403);
    expect(await status('will', { role: 'rep' })).toBe(403);
    expect(await status('oscar', { role: 'rep', teamId: east() })).toBe(404);
    expect(await status('ada', { role: 'rep', teamId: people.oscar.user.teamId })).toBe(404);
    expect(await status('mia', { role: 'rep', expiresInHours: 169 })).toBe(400);
    expect(await status('mia', { role: 'rep', maxUses: 51 })).toBe(400);
    expect(await status('mia', { role: 'admin' })).toBe(400);

    const byAdmin = await invite('ada', { role: 'manager', teamId: west(), expiresInHours: 1, maxUses: 50 });
    expect(byAdmin.invitation).toMatchObject({ teamId: west(), role: 'manager', maxUses: 50 });
  });

  it('lists and revokes: managers their own team (reps only), admins the tenant; reps and outsiders cannot', async () => {
    const mine = await invite('mia', { role: 'rep', maxUses: 3 });
    const list = await people.mia.get<{ invitations: Array<{ id: number; teamId: number; role: string }> }>('/api/crm/invitations');
    expect(list.status).toBe(200);
    expect(list.body.invitations[0]).toMatchObject({ id: mine.invitation.id, uses: 0, revokedAt: null });
    expect(list.body.invitations.every((i) => i.teamId === east() && i.role === 'rep')).toBe(true);
    const wesList = (await people.wes.get<{ invitations: Array<{ id: number }> }>('/api/crm/invitations')).body.invitations;
    expect(wesList.map((i) => i.id)).not.toContain(mine.invitation.id);
    expect((await people.ray.get('/api/crm/invitations')).status).toBe(403);
    const adaList = (await people.ada.get<{ invitations: Array<{ id: number }> }>(`/api/crm/invitations?teamId=${east()}`)).body;
    expect(adaList.invitations.map((i) => i.id)).toContain(mine.invitation.id);

    const path = `/api/crm/invitations/${mine.invitation.id}`;
    expect((await people.ray.send('DELETE', path)).status).toBe(403);
    expect((await people.wes.send('DELETE', path)).status).toBe(404);
    expect((await people.oscar.send('DELETE', path)).status).toBe(404);
    const revoked = await people.mia.send('DELETE', path);
    expect(revoked.status).toBe(200);
    expect(revoked.body.invitation.revokedAt).not.toBeNull();
    // Twice is still revoked, and still 200.
    expect((await people.mia.send('DELETE', path)).body.invitation.revokedAt).toBe(revoked.body.invitation.revokedAt);
  });
});

describe('joining with an invitation', () => {
  it('a new WeChat user joins the team with the role (201); the token works and the socket is in the team room', async () => {
    const { invitation } = await invite('mia', { role: 'rep' });
    const openId = newOpenId();
    const res = await join(invitation.code, openId, '  周新  ');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.user).toMatchObject({ name: '周新', role: 'rep', teamId: east(), tenantId: people.mia.user.tenantId });

    const pipeline = await http<PipelineResponse>(otherNode, 'GET', '/api/crm/pipeline', { token: res.body.token });
    expect(pipeline.status).toBe(200);
    expect(pipeline.body.opportunities.every((o) => o.teamId === east())).toBe(true);
    const members = await people.mia.get<MembersResponse>('/api/crm/members');
    expect(members.body.members).toContainEqual({ id: res.body.user.id, name: '周新', role: 'rep', teamId: east(), active: true });

    // Live: a teammate's move on the other node reaches the new rep's phone.
    const phone = await connectWeapp(url, res.body.token);
    sockets.push(phone);
    const moved = phone.next('opportunity:moved');
    const deal = pipeline.body.opportunities[0]!;
    const to = pipeline.body.stages.find((s) => s.id !== deal.stageId)!;
    const ray = await signIn(otherNode, 'ray');
    expect((await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: to.id, version: deal.version })).status).toBe(200);
    expect((await moved).data.opportunity).toMatchObject({ id: deal.id, stageId: to.id });

    // The team hears who joined, with the new member as the actor.
    const feed = await people.mia.get<{ events: Array<{ type: string; actorId: number; data: any }> }>('/api/crm/team/feed');
    const joined = feed.body.events.find((e) => e.type === 'member:joined');
    expect(joined).toMatchObject({ actorId: res.body.user.id, data: { member: { id: res.body.user.id }, invitationId: invitation.id } });
  });

  it('an admin’s manager invitation makes a manager of that team', async () => {
    const { invitation } = await invite('ada', { role: 'manager', teamId: west() });
    const res = await join(invitation.code, newOpenId(), '韦经理');
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'manager', teamId: west() });
  });

  it('a WeChat user already in the tenant gets 200 with their own account and spends no use', async () => {
    const { invitation } = await invite('mia', { role: 'rep', maxUses: 2 });
    const openId = newOpenId();
    const first = await join(invitation.code, openId, '第一次');
    expect(first.status).toBe(201);
    const again = await join(invitation.code, openId, '改名');
    expect(again.status).toBe(200);
    expect(again.body.user).toEqual(first.body.user);
    expect((await cluster.db.models.Invitation.findByPk(invitation.id))!.uses).toBe(1);
    // The use it did not spend is still there for someone new; then the code is used up.
    expect((await join(invitation.code, newOpenId())).status).toBe(201);
    expect((await join(invitation.code, newOpenId())).status).toBe(410);
  });

  it('answers a dead code without asking WeChat', async () => {
    const { invitation } = await invite('mia', { role: 'rep' });
    await people.mia.send('DELETE', `/api/crm/invitations/${invitation.id}`);
    const before = wechat.calls();
    expect((await join(invitation.code, newOpenId())).status).toBe(410);
    expect((await join('no-such-code-0000000000', newOpenId())).status).toBe(404);
    expect(wechat.calls()).toBe(before);
  });

  it('a WeChat user of another tenant cannot join this one', async () => {
    await cluster.db.models.User.update({ wechatOpenId: 'o-olga-openid' }, { where: { login: 'olga' } });
    const { invitation } = await invite('mia', { role: 'rep' });
    const res = await join(invitation.code, 'o-olga-openid');
    expect(res.status).toBe(409);
    expect((await cluster.db.models.Invitation.findByPk(invitation.id))!.uses).toBe(0);
  });

  it('answers 410 gone for an expired, a revoked and a used-up code, and 404 for a code that never existed', async () => {
    const expired = await invite('mia', { role: 'rep' });
    await cluster.db.models.Invitation.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: expired.invitation.id } });
    const revoked = await invite('mia', { role: 'rep' });
    await people.mia.send('DELETE', `/api/crm/invitations/${revoked.invitation.id}`);
    const usedUp = await invite('mia', { role: 'rep', maxUses: 1 });
    expect((await join(usedUp.invitation.code, newOpenId())).status).toBe(201);

    const usersBefore = await cluster.db.models.User.count();
    for (const [what, code, words] of [
      ['expired', expired.invitation.code, 'expired'],
      ['revoked', revoked.invitation.code, 'revoked'],
      ['used up', usedUp.invitation.code, 'used up'],
    ] as const) {
      const res = await join(code, newOpenId());
      expect(res.status, what).toBe(410);
      expect(res.body, what).toMatchObject({ error: { code: 'gone' } });
      expect((res.body as any).error.message, what).toContain(words);
    }
    const unknown = await join('no-such-code-0000000000', newOpenId());
    expect(unknown.status).toBe(404);
    expect(await cluster.db.models.User.count()).toBe(usersBefore);
  });

  it('refuses a bad wx.login code (401) and a missing name (400) without spending a use', async () => {
    const { invitation } = await invite('mia', { role: 'rep' });
    const bad = await http(url, 'POST', '/api/auth/join', { body: { code: invitation.code, wxCode: 'not-a-code', name: '某人' } });
    expect(bad.status).toBe(401);
    const noName = await http(url, 'POST', '/api/auth/join', { body: { code: invitation.code, wxCode: `wx:${newOpenId()}`, name: '  ' } });
    expect(noName.status).toBe(400);
    expect((await cluster.db.models.Invitation.findByPk(invitation.id))!.uses).toBe(0);
  });

  it('holds maxUses under concurrent joins on two nodes: exactly maxUses new members, the rest 410', async () => {
    const { invitation } = await invite('mia', { role: 'rep', maxUses: 3 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => join(invitation.code, newOpenId(), `并发${i}`, i % 2 ? url : otherNode)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, ...Array(9).fill(410)]);
    expect((await cluster.db.models.Invitation.findByPk(invitation.id))!.uses).toBe(3);
    const joined = await cluster.db.models.User.count({
      where: { name: answers.filter((a) => a.status === 201).map((a) => a.body.user.name) },
    });
    expect(joined).toBe(3);
  });

  it('one WeChat user joining twice at once becomes one member: one 201, one 200, one use', async () => {
    const { invitation } = await invite('mia', { role: 'rep', maxUses: 5 });
    const openId = newOpenId();
    const [a, b] = await Promise.all([join(invitation.code, openId, '双击'), join(invitation.code, openId, '双击', otherNode)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.user.id).toBe(b.body.user.id);
    expect((await cluster.db.models.Invitation.findByPk(invitation.id))!.uses).toBe(1);
  });
});
