import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, waitFor } from './support/children.js';
import { type FaultCluster, max, median, startFaultCluster } from './support/fault-cluster.js';
import { eventLog, writerSpecs } from './support/people.js';
import { backOnlineAt, caughtUp, caughtUpAt, missing } from './support/phones.js';
import { startWriters } from './support/writers.js';

const PER_TEAM = 70;
const ADMINS = 10;
/** Two writers per team, each on deals of its own. */
const WRITERS = ['ray', 'rita', 'will', 'wes', 'olga', 'oscar'];

let cluster: FaultCluster;

beforeAll(async () => {
  cluster = await startFaultCluster(inject('templateDb'), { perTeam: PER_TEAM, admins: ADMINS });
});
afterAll(async () => cluster?.stop());

describe('SIGKILL one of two nodes behind the load balancer', () => {
  it('loses no committed event: every phone reconnects to the survivor and reaches the latest seq within 10 s', async () => {
    const {
      nodes: [a, b],
      proxy,
      phones,
    } = cluster;
    expect(phones.length).toBeGreaterThanOrEqual(200);
    const onA = proxy.linksByBackend().get(a.port) ?? 0;
    expect(onA, 'the balancer spread phones over both nodes').toBeGreaterThan(50);

    const stream = startWriters(() => proxy.url, await writerSpecs(proxy.url, WRITERS));
    await sleep(3000);
    const tasksBefore = phones.map((p) => p.tasks.length);
    const killAt = Date.now();
    await a.child.kill('SIGKILL');
    await sleep(3000);
    await stream.stop({ finish: true });
    const { heads, events } = await eventLog(cluster.databaseUrl);
    await waitFor('every phone at the latest seq', () => phones.every((p) => caughtUp(p, heads)), 20_000, 50).catch(() => undefined);

    const dropped = phones.map((p) => ({ p, back: backOnlineAt(p, killAt) })).filter((x) => x.back !== null);
    const reconnectMs = dropped.map(({ back }) => (back!.onlineAt ?? Infinity) - killAt);
    const caughtUpMs = phones.map((p) => (caughtUpAt(p, heads) ?? Infinity) - killAt);
    // What a reconnecting phone had missed by the time it was back: committed at or before then.
    const replayMs = dropped.map(({ p, back }) => {
      const due = new Map<number, number>();
      for (const e of events) if (e.at <= back!.onlineAt! && p.user.teamIds.includes(e.team)) due.set(e.team, e.seq);
      return (caughtUpAt(p, due) ?? Infinity) - back!.onlineAt!;
    });
    const attempts: Record<number, number> = {};
    dropped.forEach(({ p }) => {
      const n = p.tasks.length - tasksBefore[phones.indexOf(p)]!;
      attempts[n] = (attempts[n] ?? 0) + 1;
    });
    const lost = phones.reduce((n, p) => n + missing(p, heads), 0);
    const written = [...heads.values()].reduce((n, h) => n + h, 0);
    const writesDuringKill = stream.records.filter((r) => r.attempts.length > 1).length;
    console.info(
      JSON.stringify({
        figure: 'kill-node',
        phones: phones.length,
        phonesOnKilledNode: dropped.length,
        eventsCommitted: written,
        writes: stream.records.length,
        writesRetried: writesDuringKill,
        writesUnanswered: stream.records.filter((r) => !r.done).length,
        eventsLost: lost,
        duplicatesShown: phones.reduce((n, p) => n + p.duplicates, 0),
        resets: phones.reduce((n, p) => n + p.resets.length, 0),
        connectionAttemptsPerDroppedPhone: attempts,
        reconnectMs: { median: median(reconnectMs), max: max(reconnectMs) },
        replayAfterReconnectMs: { median: median(replayMs), max: max(replayMs) },
        killToLatestSeqMs: { max: max(caughtUpMs) },
      }),
    );

    expect(
      stream.records.every((r) => r.done),
      'every write was answered (retried with its key)',
    ).toBe(true);
    expect(lost, 'committed events a phone never showed').toBe(0);
    expect(phones.reduce((n, p) => n + p.duplicates + p.resets.length, 0)).toBe(0);
    expect(dropped.length).toBe(onA);
    expect(max(reconnectMs), 'slowest reconnect after the kill').toBeLessThanOrEqual(10_000);
    expect(max(caughtUpMs), 'slowest phone to reach the latest seq after the kill').toBeLessThanOrEqual(10_000);
    expect([...proxy.linksByBackend().keys()], 'every open connection is on the survivor').toEqual([b.port]);
    expect(a.child.exit?.signal).toBe('SIGKILL');
    expect((await b.health()).status).toBe(200);
    expect(b.problems()).toEqual([]);
  });
});
