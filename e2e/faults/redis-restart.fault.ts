import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AnyTeamEvent } from '@live-crm/shared-types';
import { connectWeapp, type WeappClient } from '../../realtime-server/test/support/weapp.js';
import { sleep, waitFor } from './support/children.js';
import { type FaultCluster, max, startFaultCluster } from './support/fault-cluster.js';
import { eventLog, writerSpecs } from './support/people.js';
import { caughtUp, caughtUpAt, missing } from './support/phones.js';
import type { ServerNode } from './support/server-node.js';
import { startWriters } from './support/writers.js';

let cluster: FaultCluster;
const probes: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startFaultCluster(inject('templateDb'), { perTeam: 20, admins: 5 });
});
afterAll(async () => {
  for (const p of probes) p.close();
  await cluster?.stop();
});

/** A teammate's phone held on one node directly (not through the balancer), hearing only live events. */
async function probeOn(node: ServerNode, userIndex: number): Promise<WeappClient> {
  const probe = await connectWeapp(node.url, cluster.users[userIndex]!.token);
  probes.push(probe);
  return probe;
}

/** A note written through `from` reaches a probe on the other node live: ms it took. */
async function crossesNodes(from: ServerNode, to: WeappClient, token: string, customerId: number): Promise<number> {
  const content = `cross-node ${Date.now()} ${Math.random()}`;
  const started = Date.now();
  const heard = new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no live event from ${from.id} within 3 s`)), 3000);
    const check = () => {
      if (to.received('customer:note-added').some((e: AnyTeamEvent) => JSON.stringify(e.data).includes(content))) {
        clearTimeout(t);
        resolve(Date.now() - started);
      } else setTimeout(check, 10);
    };
    check();
  });
  const res = await fetch(`${from.url}/api/crm/customers/${customerId}/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  expect(res.status).toBe(201);
  return heard;
}

describe('restart Redis during a stream of writes', () => {
  it('keeps both nodes serving, re-subscribes when Redis returns, and phones converge with nothing lost', async () => {
    const {
      nodes: [a, b],
      proxy,
      phones,
      redis,
    } = cluster;
    const specs = await writerSpecs(proxy.url);
    const east = specs[0]!;
    // users[0] and users[1] are East reps (the first team's phones).
    const [onA, onB] = [await probeOn(a, 0), await probeOn(b, 1)];
    expect(await crossesNodes(a, onB, east.token, east.customerId)).toBeLessThan(3000);

    const stream = startWriters(() => proxy.url, specs);
    await sleep(2000);
    const downAt = Date.now();
    await redis.crash();
    await sleep(3000);
    const healthDuringOutage = await Promise.all([a.health(), b.health()]);
    await redis.start();
    const upAt = Date.now();
    const readyMs = await waitFor(
      'both nodes see Redis again',
      async () => (await Promise.all([a.health(), b.health()])).every((h) => h.body?.redis === true),
      20_000,
      50,
    ).catch(async (err: Error) => {
      const health = await Promise.all([a.health(), b.health()]);
      throw new Error(`${err.message}: ${JSON.stringify(health)}\n${a.child.lines.slice(-10).join('\n')}`);
    });
    const liveAB = await crossesNodes(a, onB, east.token, east.customerId);
    const liveBA = await crossesNodes(b, onA, east.token, east.customerId);
    await sleep(2000);
    await stream.stop({ finish: true });
    const stoppedAt = Date.now();

    const { heads, events } = await eventLog(cluster.databaseUrl);
    await waitFor('every phone at the latest seq', () => phones.every((p) => caughtUp(p, heads)), 20_000, 50).catch(() => undefined);
    const lost = phones.reduce((n, p) => n + missing(p, heads), 0);
    const duringOutage = stream.records.filter((r) => r.attempts.some((x) => x.at >= downAt && x.at < upAt));
    const outageStatuses = [
      ...new Set(duringOutage.flatMap((r) => r.attempts.filter((x) => x.at >= downAt && x.at < upAt).map((x) => x.status))),
    ];
    const resumes =
      phones.reduce(
        (n, p) => n + p.tasks.flatMap((t) => t.sent).filter((f) => typeof f === 'string' && f.includes('"sync:resume"')).length,
        0,
      ) - phones.length;
    const dropped = phones.filter((p) => p.statuses.some((s) => s.at >= downAt && s.status === 'offline')).length;
    const convergedMs = max(phones.map((p) => (caughtUpAt(p, heads) ?? Infinity) - stoppedAt));
    console.info(
      JSON.stringify({
        figure: 'redis-restart',
        phones: phones.length,
        eventsCommitted: [...heads.values()].reduce((n, h) => n + h, 0),
        eventsCommittedWhileRedisDown: events.filter((e) => e.at >= downAt && e.at < upAt).length,
        writesDuringOutage: duringOutage.length,
        outageAnswers: outageStatuses,
        eventsLost: lost,
        phonesDisconnected: dropped,
        resumesAfterGaps: resumes,
        resets: phones.reduce((n, p) => n + p.resets.length, 0),
        healthDuringOutage: healthDuringOutage.map((h) => h.body),
        redisReadyAfterRestartMs: readyMs,
        liveCrossNodeAfterRestartMs: [liveAB, liveBA],
        lastPhoneConvergedAfterStreamStopMs: convergedMs,
      }),
    );

    expect(duringOutage.length, 'writes kept flowing while Redis was down').toBeGreaterThan(0);
    expect(
      outageStatuses.every((s) => typeof s === 'number' && s < 300),
      `answers while Redis was down: ${outageStatuses.join(', ')}`,
    ).toBe(true);
    expect(healthDuringOutage.map((h) => h.body?.db)).toEqual([true, true]);
    expect(stream.records.every((r) => r.done)).toBe(true);
    expect(lost, 'committed events a phone never showed').toBe(0);
    expect(phones.reduce((n, p) => n + p.duplicates, 0)).toBe(0);
    expect(convergedMs).toBeLessThanOrEqual(10_000);
    expect(dropped, 'sockets do not depend on Redis').toBe(0);
    for (const node of [a, b]) {
      expect(node.child.alive(), `${node.id} alive`).toBe(true);
      expect((await node.health()).status).toBe(200);
      expect(node.problems(), `${node.id}: errors in its log`).toEqual([]);
    }
  });
});
