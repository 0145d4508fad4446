import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { CustomerListResponse, LoginResponse, PipelineResponse, PresenceChanged } from '@live-crm/shared-types';
import { sleep, waitFor } from './support/children.js';
import { type FaultCluster, startFaultCluster } from './support/fault-cluster.js';
import { eventLog } from './support/people.js';
import { caughtUp, type Phone, type PhoneUser, startPhone } from './support/phones.js';
import { armCrashAfterCommit, CRASH_AFTER_COMMIT } from './support/server-node.js';

let cluster: FaultCluster;
const phones: Phone[] = [];

beforeEach(async () => {
  // No extra phone users: each test places the demo team's phones on the node it needs.
  cluster = await startFaultCluster(inject('templateDb'), { perTeam: 0, admins: 0, imports: [CRASH_AFTER_COMMIT] });
});
afterEach(async () => {
  for (const p of phones.splice(0)) p.client.stop();
  await cluster?.stop();
});

async function login(url: string, name: string): Promise<LoginResponse & { get: <T>(path: string) => Promise<T> }> {
  const res = await fetch(`${url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: name }),
  });
  const session = (await res.json()) as LoginResponse;
  const get = async <T>(path: string) =>
    (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${session.token}` } })).json() as Promise<T>;
  return { ...session, get };
}

/** A demo user's phone, connected straight to one node (no balancer: it cannot move elsewhere). */
async function phoneOn(url: string, name: string): Promise<Phone> {
  const { token, user } = await login(url, name);
  const phoneUser: PhoneUser = { id: user.id, tenantId: user.tenantId, teamIds: [user.teamId!], token };
  const phone = startPhone(url, phoneUser);
  phones.push(phone);
  await waitFor(`${name} online`, () => phone.client.isSynced(), 20_000, 20);
  return phone;
}

describe('a SIGKILLed node is healed by the survivor', () => {
  it("its viewers leave the record on the other node's phones within 30 s", async () => {
    const {
      nodes: [a, b],
    } = cluster;
    const { customers } = await (await login(b.url, 'rita')).get<CustomerListResponse>('/api/crm/customers?limit=1');
    const resource = `customer:${customers[0]!.id}`;
    const rita = await phoneOn(b.url, 'rita');
    const ray = await phoneOn(a.url, 'ray');
    let seen: { change: PresenceChanged; at: number } | null = null;
    rita.client.onPresence((change) => {
      if (change.resource === resource) seen = { change, at: Date.now() };
    });
    const latest = () => seen as { change: PresenceChanged; at: number } | null;
    const viewers = () => latest()?.change.viewers.map((v) => v.userId) ?? [];
    rita.client.watchPresence(resource);
    ray.client.watchPresence(resource);
    await waitFor('rita sees ray viewing', () => viewers().includes(ray.user.id), 10_000, 20);
    // Past the join's settle recount: from here on only a crash can change what rita sees.
    await sleep(1500);
    expect(viewers()).toEqual([ray.user.id, rita.user.id].sort((x, y) => x - y));

    await a.child.kill('SIGKILL');
    const killedAt = Date.now();
    ray.client.stop();
    const gone = await waitFor("ray gone from rita's viewers", () => !viewers().includes(ray.user.id), 30_000, 50).then(
      () => true,
      () => false,
    );
    const goneMs = gone ? latest()!.at - killedAt : Infinity;
    console.info(JSON.stringify({ figure: 'presence-after-kill', viewerGoneMs: gone ? goneMs : null }));

    expect(goneMs, "ms until the dead node's viewer disappeared").toBeLessThanOrEqual(30_000);
    expect(viewers(), 'rita still sees herself').toEqual([rita.user.id]);
    expect(b.problems()).toEqual([]);
  });

  it('an event committed by a node killed before it could publish reaches teammates on the other node', async () => {
    const {
      nodes: [a, b],
    } = cluster;
    const teammates = [await phoneOn(b.url, 'rita'), await phoneOn(b.url, 'mia')];
    const ray = await login(a.url, 'ray');
    const team = ray.user.teamId!;
    const pipeline = await ray.get<PipelineResponse>('/api/crm/pipeline');
    const deal = pipeline.opportunities[0]!;
    const before = (await eventLog(cluster.databaseUrl)).heads.get(team)!;
    await waitFor('teammates at the head', () => teammates.every((p) => caughtUp(p, new Map([[team, before]]))), 10_000, 20);

    await armCrashAfterCommit(a);
    const answer = await fetch(`${a.url}/api/crm/opportunities/${deal.id}/move`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ray.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stageId: pipeline.stages.find((s) => s.id !== deal.stageId)!.id, version: deal.version }),
    }).then(
      (r) => r.status,
      () => 'no answer',
    );
    await a.child.exited;
    const killedAt = Date.now();
    const { heads, events } = await eventLog(cluster.databaseUrl);
    expect(answer, 'the writer never heard back').toBe('no answer');
    expect(a.child.exit?.signal).toBe('SIGKILL');
    expect(heads.get(team), 'the move committed before the node died').toBe(before + 1);

    const reached = await waitFor('teammates reach the committed head', () => teammates.every((p) => caughtUp(p, heads)), 10_000, 20).then(
      () => true,
      () => false,
    );
    const headMs = reached ? Math.max(...teammates.map((p) => p.received.get(team)!.get(before + 1)!)) - killedAt : Infinity;
    console.info(JSON.stringify({ figure: 'commit-then-crash', teammateReachedHeadMs: reached ? headMs : null }));

    expect(headMs, 'ms for teammates on the survivor to reach the head').toBeLessThanOrEqual(10_000);
    expect((await eventLog(cluster.databaseUrl)).events.length, 'no later event carried it').toBe(events.length);
    for (const p of teammates) {
      expect(p.received.get(team)!.has(before + 1), 'shown to the page handlers').toBe(true);
      expect(p.duplicates + p.resets.length).toBe(0);
    }
    expect(b.problems()).toEqual([]);
  });
});
