import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTeamEvent, DeactivateMemberResponse, LoginResponse, MembersResponse } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startFakeCode2Session } from '../support/fake-code2session.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { watchedPhone, within } from './phones.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
let wechat: Awaited<ReturnType<typeof startFakeCode2Session>>;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  wechat = await startFakeCode2Session();
  cluster = await startCluster(2, { env: { ...wechat.env, REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.stop();
  await wechat?.close();
});

type Person = Awaited<ReturnType<typeof signIn>>;

/** A rep who joined East through an invitation, signed in on `node`. */
async function newRep(mia: Person, name: string, node: string): Promise<Person & { login: LoginResponse }> {
  const { body } = await mia.send('POST', '/api/crm/invitations', { role: 'rep' });
  const res = await http<LoginResponse>(node, 'POST', '/api/auth/join', {
    body: { code: body.invitation.code, wxCode: `wx:o-${name}-${process.pid}`, name },
  });
  expect(res.status).toBe(201);
  const { token, user } = res.body;
  return {
    token,
    user,
    login: res.body,
    get: (path) => http(node, 'GET', path, { token }),
    send: (method, path, b) => http(node, method, path, { token, body: b }),
  };
}

const phone = (url: string, token: string) => watchedPhone(url, token, sockets);

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('deactivating a member hands their records over in one step', () => {
  it('moves every customer, open deal and open task to the heir; a teammate on another node sees each change live; the leaver is cut off', async () => {
    const mia = await signIn(nodeA, 'mia');
    const rita = await signIn(nodeB, 'rita');
    const leaver = await newRep(mia, '离职甲', nodeA);

    // What the leaver holds, written through the product: two customers, a deal each, an open and a done task.
    const customers: number[] = [];
    const deals: number[] = [];
    for (const name of ['客户一', '客户二']) {
      const c = (await leaver.send('POST', '/api/crm/customers', { name })).body.customer;
      customers.push(c.id);
      deals.push(
        (await leaver.send('POST', '/api/crm/opportunities', { customerId: c.id, title: `${name}的单`, valueCents: 100_00 })).body
          .opportunity.id,
      );
    }
    const open = (await leaver.send('POST', '/api/crm/tasks', { title: '回访' })).body.task;
    const done = (await leaver.send('POST', '/api/crm/tasks', { title: '已完成' })).body.task;
    expect((await leaver.send('PUT', `/api/crm/tasks/${done.id}`, { status: 'completed', version: done.version })).status).toBe(200);
    // A closed deal stays with the leaver (it is history, not work).
    const pipeline = (await mia.get('/api/crm/pipeline')).body;
    const won = pipeline.stages.find((s: { key: string }) => s.key === 'won');
    const closed = (await leaver.send('POST', '/api/crm/opportunities', { customerId: customers[0], title: '已成交', valueCents: 5 })).body
      .opportunity;
    expect(
      (await leaver.send('PUT', `/api/crm/opportunities/${closed.id}/move`, { stageId: won.id, version: closed.version })).status,
    ).toBe(200);

    const teammate = await phone(nodeB, rita.token);
    const told = new Promise<unknown>((resolve) => teammate.socket.on('notification', resolve));
    const leaverOnA = await phone(nodeA, leaver.token);
    const leaverOnB = await phone(nodeB, leaver.token);
    const seen: AnyTeamEvent[] = [];
    teammate.socket.onAny((event: string, env: AnyTeamEvent) => {
      if (event !== 'notification') seen.push(env);
    });

    const res = await mia.send<DeactivateMemberResponse>('POST', `/api/crm/members/${leaver.user.id}/deactivate`, {
      handoverTo: rita.user.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      member: { id: leaver.user.id, name: '离职甲', role: 'rep', teamId: leaver.user.teamId, active: false },
      handedOver: { customers: 2, opportunities: 2, tasks: 1 },
    });

    // Cut off at once, on both nodes: REST 401 and both sockets closed by the server.
    for (const url of [nodeA, nodeB]) expect((await http(url, 'GET', '/api/me', { token: leaver.token })).status, url).toBe(401);
    expect(await within(leaverOnA.closed, 2000, 'leaver socket on A closed')).toBe('io server disconnect');
    expect(await within(leaverOnB.closed, 2000, 'leaver socket on B closed')).toBe('io server disconnect');
    await expect(connectWeapp(nodeA, leaver.token)).rejects.toThrow('unauthorized');

    // The teammate on node B sees each record change owner, in seq order, then the deactivation.
    await until(() => seen.some((e) => e.type === 'member:deactivated'), 'member:deactivated');
    const types = seen.map((e) => e.type);
    expect(types).toEqual([
      'customer:owner-changed',
      'customer:owner-changed',
      'opportunity:owner-changed',
      'opportunity:owner-changed',
      'task:assigned',
      'member:deactivated',
    ]);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    for (const e of seen) expect(e.actorId).toBe(mia.user.id);
    const data = seen.map((e) => e.data as any);
    expect(data.slice(0, 2).map((d) => [d.customer.id, d.customer.ownerId, d.previousOwnerId, d.reason])).toEqual(
      customers.map((id) => [id, rita.user.id, leaver.user.id, 'handover']),
    );
    expect(data.slice(2, 4).map((d) => [d.opportunity.id, d.opportunity.ownerId, d.opportunity.ownerName, d.reason])).toEqual(
      deals.map((id) => [id, rita.user.id, '王婷', 'handover']),
    );
    expect(data[4]).toMatchObject({
      task: { id: open.id, assigneeId: rita.user.id, version: open.version + 1 },
      previousAssigneeId: leaver.user.id,
    });
    expect(data[5]).toMatchObject({ member: { id: leaver.user.id, active: false }, handoverTo: rita.user.id });

    // The heir is told once, with the counts, live and in the notification centre.
    const notice = { kind: 'handover', params: { actorName: '张敏', leaverName: '离职甲', customers: 2, opportunities: 2, tasks: 1 } };
    expect(await within(told, 2000, "the heir's notification")).toMatchObject(notice);
    const inbox = (await rita.get('/api/crm/notifications')).body.notifications;
    expect(inbox.filter((n: { kind: string }) => n.kind === 'handover')).toEqual([expect.objectContaining(notice)]);

    // The rows agree, and what is history stays with the leaver.
    const { Customer, Opportunity, Task } = cluster.db.models;
    expect(await Customer.count({ where: { ownerId: leaver.user.id } })).toBe(0);
    expect((await Opportunity.findByPk(closed.id))!.ownerId).toBe(leaver.user.id);
    expect((await Task.findByPk(done.id))!.assigneeId).toBe(leaver.user.id);
    const members = (await mia.get<MembersResponse>('/api/crm/members')).body.members;
    expect(members.find((m) => m.id === leaver.user.id)).toMatchObject({ active: false });
  });

  it('moves nothing and keeps the member active when the heir is not an active member of the same team', async () => {
    const mia = await signIn(nodeA, 'mia');
    const will = await signIn(nodeA, 'will');
    const leaver = await newRep(mia, '离职乙', nodeB);
    const c = (await leaver.send('POST', '/api/crm/customers', { name: '乙的客户' })).body.customer;
    const gone = await newRep(mia, '已停用', nodeA);
    await mia.send('POST', `/api/crm/members/${gone.user.id}/deactivate`, { handoverTo: mia.user.id });

    for (const heir of [will.user.id, gone.user.id, leaver.user.id, 987654]) {
      const res = await mia.send('POST', `/api/crm/members/${leaver.user.id}/deactivate`, { handoverTo: heir });
      expect(res.status, String(heir)).toBe(400);
    }
    expect((await cluster.db.models.Customer.findByPk(c.id))!.ownerId).toBe(leaver.user.id);
    expect((await leaver.get('/api/me')).status).toBe(200);
  });

  it('lets a manager deactivate reps of their own team only, and no rep at all', async () => {
    const [mia, ray, wes, ada] = await Promise.all([
      signIn(nodeA, 'mia'),
      signIn(nodeA, 'ray'),
      signIn(nodeA, 'wes'),
      signIn(nodeA, 'ada'),
    ]);
    const leaver = await newRep(mia, '离职丙', nodeA);
    const path = `/api/crm/members/${leaver.user.id}/deactivate`;
    expect((await ray.send('POST', path, { handoverTo: ray.user.id })).status).toBe(403);
    expect((await wes.send('POST', path, { handoverTo: ray.user.id })).status).toBe(404);
    expect((await mia.send('POST', `/api/crm/members/${mia.user.id}/deactivate`, { handoverTo: ray.user.id })).status).toBe(403);
    const promoted = await newRep(mia, '待升经理', nodeA);
    await cluster.db.models.User.update({ role: 'manager' }, { where: { id: promoted.user.id } });
    expect((await mia.send('POST', `/api/crm/members/${promoted.user.id}/deactivate`, { handoverTo: ray.user.id })).status).toBe(403);
    const byAdmin = await ada.send('POST', path, { handoverTo: ray.user.id });
    expect(byAdmin.status).toBe(200);
    // The members list: everyone of the team, a rep included; an admin names the team.
    expect((await ray.get<MembersResponse>('/api/crm/members')).body.members.map((m) => m.id)).toContain(leaver.user.id);
    const west = (await ada.get<MembersResponse>(`/api/crm/members?teamId=${wes.user.teamId}`)).body;
    expect(west.teamId).toBe(wes.user.teamId);
    expect(west.members.map((m) => m.name).sort()).toEqual(['刘伟', '赵威', '陈雯'].sort());
  });
});
