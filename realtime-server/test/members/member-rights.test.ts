import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineResponse } from '@live-crm/shared-types';
import type { Actor } from '../../src/core/actor.js';
import { http, signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { watchedPhone, within } from './phones.js';
import { until } from '../notifications/until.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { env: { REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster.stop();
});

const members = (i: number) => cluster.nodes[i]!.node.services.members;
const actorOf = async (login: string): Promise<Actor> => {
  const user = await cluster.db.models.User.findOne({ where: { login } });
  return (await cluster.nodes[0]!.node.services.auth.actorFor(user!.id))!;
};

const phone = (url: string, token: string) => watchedPhone(url, token, sockets);

async function moveFirstDeal(who: Awaited<ReturnType<typeof signIn>>): Promise<number> {
  const p = (await who.get<PipelineResponse>('/api/crm/pipeline')).body;
  const deal = p.opportunities[0]!;
  const to = p.stages.find((s) => s.id !== deal.stageId)!;
  const res = await who.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: to.id, version: deal.version });
  expect(res.status).toBe(200);
  return deal.id;
}

describe("a member's rights change on every node at once", () => {
  it('refuses a rep, a manager reaching past their team, and another tenant', async () => {
    const oscar = await signIn(nodeA, 'oscar');
    const will = await signIn(nodeA, 'will');
    await expect(members(0).deactivate(await actorOf('ray'), will.user.id, will.user.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(members(0).deactivate(await actorOf('mia'), will.user.id, will.user.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(members(0).deactivate(await actorOf('wes'), (await actorOf('ada')).userId, will.user.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(members(0).deactivate(await actorOf('ada'), oscar.user.id, oscar.user.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(members(0).changeRole(await actorOf('mia'), will.user.id, 'manager')).rejects.toMatchObject({ code: 'forbidden' });
    expect((await http(nodeA, 'GET', '/api/me', { token: will.token })).status).toBe(200);
  });

  it('after deactivation their token answers 401 on both nodes and their sockets on both close', async () => {
    const olga = await signIn(nodeA, 'olga');
    // Both nodes have her actor cached before the change.
    for (const url of [nodeA, nodeB]) expect((await http(url, 'GET', '/api/me', { token: olga.token })).status).toBe(200);
    const onA = await phone(nodeA, olga.token);
    const onB = await phone(nodeB, olga.token);

    const { member } = await members(1).deactivate(await actorOf('oscar'), olga.user.id, (await actorOf('oscar')).userId);
    expect(member).toMatchObject({ id: olga.user.id, active: false });

    for (const url of [nodeA, nodeB]) {
      const res = await http(url, 'GET', '/api/me', { token: olga.token });
      expect(res.status, url).toBe(401);
    }
    expect(await within(onA.closed, 2000, 'socket on node A closed')).toBe('io server disconnect');
    expect(await within(onB.closed, 2000, 'socket on node B closed')).toBe('io server disconnect');
    await expect(connectWeapp(nodeB, olga.token)).rejects.toThrow('unauthorized');
    expect((await http(nodeA, 'POST', '/api/auth/dev-login', { body: { login: 'olga' } })).status).toBe(401);
  });

  it("after a team move their socket no longer receives the old team's events, and the new team's after reconnecting", async () => {
    const rita = await signIn(nodeA, 'rita');
    const ray = await signIn(nodeB, 'ray');
    const will = await signIn(nodeB, 'will');
    const before = await phone(nodeA, rita.token);
    const westTeam = will.user.teamId!;

    await members(1).moveTeam(await actorOf('ada'), rita.user.id, westTeam);
    expect(await within(before.closed, 2000, 'old socket closed')).toBe('io server disconnect');
    await moveFirstDeal(ray);

    const after = await phone(nodeA, rita.token);
    await moveFirstDeal(ray);
    await moveFirstDeal(will);
    // West keeps each rep to their own records (visibility 'owner'): Will's move reaches her as its seq only.
    const moves = (c: WeappClient) => c.heard().filter((e) => e.event === 'opportunity:moved' || e.event === 'event:redacted');
    await until('West’s move on the new socket', () => moves(after).length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect([...moves(before), ...moves(after)].map((e) => e.payload.teamId)).toEqual([westTeam]);
    // REST follows at once on the other node too: her pipeline is West's (its deals are others', so none shows yet).
    const pipeline = (await http<PipelineResponse>(nodeB, 'GET', '/api/crm/pipeline', { token: rita.token })).body;
    expect(pipeline.stages.map((s) => s.teamId)).toContain(westTeam);
    expect([...pipeline.stages, ...pipeline.opportunities].every((r) => r.teamId === westTeam)).toBe(true);
  });

  it('after a role change both nodes answer with the new role at once', async () => {
    const ray = await signIn(nodeA, 'ray');
    for (const url of [nodeA, nodeB]) expect((await http(url, 'GET', '/api/me', { token: ray.token })).body.user.role).toBe('rep');
    await members(0).changeRole(await actorOf('ada'), ray.user.id, 'manager');
    for (const url of [nodeA, nodeB]) expect((await http(url, 'GET', '/api/me', { token: ray.token })).body.user.role, url).toBe('manager');
  });
});
