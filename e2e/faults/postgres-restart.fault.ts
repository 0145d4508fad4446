import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@live-crm/shared-types';
import { connectWeapp } from '../../realtime-server/test/support/weapp.js';
import { sleep, waitFor } from './support/children.js';
import { max, median } from './support/fault-cluster.js';
import { eventLog, writerSpecs } from './support/people.js';
import { caughtUp, missing, type Phone, startPhone } from './support/phones.js';
import { createPrivateCluster, type PrivateCluster } from './support/postgres-cluster.js';
import { type ServerNode, startServerNode } from './support/server-node.js';
import { startWriters, type WriteRecord } from './support/writers.js';

let pg: PrivateCluster;
let node: ServerNode;
let phone: Phone | undefined;

async function login(name: string): Promise<LoginResponse> {
  const res = await fetch(`${node.url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: name }),
  });
  return res.json() as Promise<LoginResponse>;
}

beforeAll(async () => {
  pg = await createPrivateCluster();
  // An empty database: the node applies the migrations and seeds the demo data itself.
  node = await startServerNode('node-pg', { DATABASE_URL: pg.url, SEED_DEMO: '1' }, 120_000);
});
afterAll(async () => {
  phone?.client.stop();
  await node?.child.kill('SIGTERM');
  await pg?.remove();
});

const attemptsBetween = (records: WriteRecord[], from: number, to: number) =>
  records.flatMap((r) => r.attempts).filter((a) => a.at >= from && a.at < to);

/** Every team's events are 1..last_seq with no hole and no extra. */
async function seqHoles(): Promise<string[]> {
  const rows = await pg.query<{ id: number; last_seq: number; n: number; lo: number | null; hi: number | null }>(
    `SELECT t.id, t.last_seq, count(e.seq)::int AS n, min(e.seq) AS lo, max(e.seq) AS hi
       FROM teams t LEFT JOIN team_events e ON e.team_id = t.id GROUP BY t.id, t.last_seq`,
  );
  return rows.filter((r) => r.n !== r.last_seq || (r.n > 0 && (r.lo !== 1 || r.hi !== r.last_seq))).map((r) => JSON.stringify(r));
}

describe('restart PostgreSQL under a stream of writes', () => {
  it('answers 503 while it is down, leaves no partial write, and resumes by itself', async () => {
    const specs = await writerSpecs(node.url, ['ray', 'rita', 'will']);
    // A teammate's phone (the mini program's realtime client) online before the outage, and a
    // manager who has not connected yet and tries to while the database is away.
    const rita = await login('rita');
    phone = startPhone(node.url, { id: rita.user.id, tenantId: rita.user.tenantId, teamIds: [rita.user.teamId!], token: rita.token });
    await waitFor('phone online', () => phone!.client.isSynced(), 20_000);
    const mia = await login('mia');
    const deals = specs.flatMap((s) => s.deals.map((d) => ({ ...d })));
    // The seed moved these deals too (through the service): count only the moves of this run.
    const streamStart = new Date();
    const stream = startWriters(() => node.url, specs, { timeoutMs: 15_000 });
    await sleep(2000);

    const stopAt = Date.now();
    await pg.stop('fast');
    const downAt = Date.now();
    await sleep(1000);
    const healthDown = await node.health();
    const connectWhileDown = await connectWeapp(node.url, mia.token).then(
      (c) => {
        c.close();
        return 'connected';
      },
      (err: Error) => err.message,
    );
    await sleep(2000);
    const restartAt = Date.now();
    await pg.start();
    const upAt = Date.now();
    const resumedMs = await waitFor(
      'a write succeeds again',
      () => attemptsBetween(stream.records, upAt, Infinity).some((a) => typeof a.status === 'number' && a.status < 300),
      30_000,
      20,
    );
    await sleep(2000);
    await stream.stop({ finish: true });

    const outage = attemptsBetween(stream.records, downAt, restartAt);
    const { heads } = await eventLog(pg.url);
    await waitFor('the phone at the latest seq', () => caughtUp(phone!, heads), 15_000, 50).catch(() => undefined);
    const statuses = [...new Set(stream.records.flatMap((r) => r.attempts.map((a) => a.status)))].sort();
    const notes = stream.records.filter((r) => r.kind === 'note');
    const noteRows = await pg.query<{ content: string; notes: number; events: number }>(
      `SELECT c.content, (SELECT count(*)::int FROM notes n WHERE n.content = c.content) AS notes,
              (SELECT count(*)::int FROM team_events e WHERE e.type = 'customer:note-added' AND e.data->'note'->>'content' = c.content) AS events
         FROM unnest($1::text[]) AS c(content)`,
      [notes.map((r) => (r.body as { content: string }).content)],
    );
    const moved = await pg.query<{ id: number; version: number; events: number }>(
      `SELECT o.id, o.version, (SELECT count(*)::int FROM team_events e WHERE e.type = 'opportunity:moved'
              AND (e.data->'opportunity'->>'id')::int = o.id AND e.at >= $2) AS events FROM opportunities o WHERE o.id = ANY($1::int[])`,
      [deals.map((d) => d.id), streamStart],
    );
    const moves = stream.records.filter((r) => r.kind === 'move');
    console.info(
      JSON.stringify({
        figure: 'postgres-restart',
        writes: stream.records.length,
        notes: notes.length,
        moves: moves.length,
        attemptsWhileDown: outage.length,
        answersWhileDown: [...new Set(outage.map((a) => a.status))],
        answerMsWhileDown: { median: median(outage.map((a) => a.ms)), max: max(outage.map((a) => a.ms)) },
        healthWhileDown: { status: healthDown.status, body: healthDown.body },
        allAnswers: statuses,
        pgStopMs: downAt - stopAt,
        pgStartMs: upAt - restartAt,
        firstSuccessAfterRestartMs: resumedMs,
        writesNeedingRetries: stream.records.filter((r) => r.attempts.length > 1).length,
        socketConnectWhileDown: connectWhileDown,
        phoneEventsLost: missing(phone, heads),
        phoneWentOffline: phone.statuses.some((st) => st.at >= stopAt && st.status !== 'online'),
      }),
    );

    expect(outage.length, 'requests were made while PostgreSQL was down').toBeGreaterThan(0);
    expect(
      outage.every((a) => a.status === 503),
      `answers while down: ${[...new Set(outage.map((a) => a.status))].join(', ')}`,
    ).toBe(true);
    expect(
      statuses.every((s) => s === 503 || (typeof s === 'number' && s < 300)),
      `every answer: ${statuses.join(', ')}`,
    ).toBe(true);
    expect(max(outage.map((a) => a.ms)), 'a refused request is answered promptly').toBeLessThan(5000);
    expect(healthDown).toMatchObject({ status: 503, body: { db: false } });
    expect(resumedMs, 'service resumed by itself').toBeLessThan(15_000);
    expect(
      stream.records.every((r) => r.done),
      'every write eventually applied (retried with its key)',
    ).toBe(true);
    // No partial writes: each note is one row and one event; each deal moved once per answered move.
    expect(noteRows.filter((r) => r.notes !== 1 || r.events !== 1)).toEqual([]);
    for (const d of deals) {
      const row = moved.find((m) => m.id === d.id)!;
      const answered = moves.filter((r) => r.path.includes(`/opportunities/${d.id}/`)).length;
      expect({ id: d.id, versionSteps: row.version - d.version, events: row.events }).toEqual({
        id: d.id,
        versionSteps: answered,
        events: answered,
      });
    }
    expect(await seqHoles()).toEqual([]);
    // Sockets: a new connection is told "unavailable" (retry), never "unauthorized" (sign in again);
    // a connected phone stays connected and ends with every event.
    expect(connectWhileDown).toBe('unavailable');
    expect(phone.statuses.filter((st) => st.at >= stopAt).map((st) => st.status)).toEqual([]);
    expect(missing(phone, heads)).toBe(0);
    expect(node.child.alive()).toBe(true);
    expect((await node.health()).status).toBe(200);
    expect(node.child.lines.filter((l) => !l.startsWith('{') && /unhandled|uncaught/i.test(l))).toEqual([]);
  });
});
