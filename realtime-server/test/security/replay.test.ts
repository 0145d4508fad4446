import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fingerprint, fingerprint } from '../support/fingerprint.js';
import { startTestNode } from '../support/nodes.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { connectWeapp } from '../support/weapp.js';
import { type Fixture, loadFixture, moveOf } from './fixture.js';
import { call, entries, framed } from './judge.js';
import { ROUTES, type Req, type RouteCase } from './route-catalog.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
/** Requests sent through it arrive and are processed; their answers are swallowed (a dropped ack). */
let blackhole: TcpProxy;

beforeAll(async () => {
  node = await startTestNode({ env: { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', REMINDER_INTERVAL_MS: '0' } });
  fx = await loadFixture(node.url, node.cluster.db);
  blackhole = await startTcpProxy([node.port]);
  blackhole.dropResponses = true;
});
afterAll(async () => {
  await blackhole?.close();
  await node?.stop();
});

const sql = <T extends object>(text: string, replacements: Record<string, unknown>) =>
  fx.db.sequelize.query<T>(text, { replacements, type: QueryTypes.SELECT });

async function movedEvents(id: number): Promise<number> {
  const [row] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM team_events WHERE type = 'opportunity:moved' AND (data->'opportunity'->>'id')::int = :id`,
    { id },
  );
  return row!.n;
}

/** Rows added or removed per table between two fingerprints (tables that did not change left out). */
function rowDelta(a: Fingerprint, b: Fingerprint): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of Object.keys(b)) if (b[t]!.rows !== a[t]!.rows) out[t] = b[t]!.rows - a[t]!.rows;
  return out;
}

/** Effects row counts cannot see: a consent counter that must go up by exactly one. */
async function counter(key: string): Promise<number> {
  if (key !== 'POST /api/crm/notifications/subscriptions') return 0;
  const [row] = await sql<{ n: number }>('SELECT coalesce(sum(remaining), 0)::int AS n FROM subscription_consents WHERE user_id = :u', {
    u: fx.people.ray.user.id,
  });
  return row!.n;
}

async function committed(userId: number, key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await sql('SELECT 1 FROM idempotency_keys WHERE user_id = :userId AND key = :key AND response IS NOT NULL', {
      userId,
      key,
    });
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the dropped request never committed');
}

/** The first attempt goes out and its answer is lost; then `replays` retries with the same key. */
async function dropThenReplay(key: string, rc: RouteCase, req: Req, replays: number, concurrent: boolean) {
  const method = key.split(' ')[0]!;
  const who = fx.people[rc.as];
  const headers = { 'Idempotency-Key': `replay-${randomBytes(8).toString('hex')}` };
  const aborter = new AbortController();
  const upload = framed(req);
  const form = new FormData();
  if (req.upload) form.append('file', new Blob([req.upload]), 'photo.png');
  const type: Record<string, string> = upload
    ? { 'content-type': upload.contentType }
    : req.upload
      ? {}
      : { 'content-type': 'application/json' };
  const dropped = fetch(`${blackhole.url}${req.path}`, {
    method,
    signal: aborter.signal,
    headers: { authorization: `Bearer ${who.token}`, ...type, ...headers },
    ...(upload ? { body: upload.body } : req.upload ? { body: form } : req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  }).catch(() => null);
  const retry = () => call(fx.url, method, req, who.token, headers);
  let answers;
  if (concurrent) {
    answers = await Promise.all(Array.from({ length: replays }, retry));
  } else {
    await committed(who.user.id, headers['Idempotency-Key']);
    answers = [];
    for (let i = 0; i < replays; i++) answers.push(await retry());
  }
  aborter.abort();
  await dropped;
  return answers;
}

describe('replays after dropped acks: exactly one effect', () => {
  const writes = Object.entries(ROUTES).filter(([, rc]) => rc.effect !== 'none' && rc.aim !== 'public');

  for (const [key, rc] of writes) {
    it(`${key}: 1-5 sequential replays, and 5 concurrent with the first attempt`, async () => {
      // Calibrate: what one request of this kind adds, table by table (after a first one has
      // created any per-user row that later ones only update, like a consent counter).
      await call(fx.url, key.split(' ')[0]!, await rc.request(fx), fx.people[rc.as].token);
      const f0 = await fingerprint(fx.db);
      const once = await call(fx.url, key.split(' ')[0]!, await rc.request(fx), fx.people[rc.as].token, {
        'Idempotency-Key': `once-${randomBytes(8).toString('hex')}`,
      });
      expect(once.status, JSON.stringify(once.body)).toBeLessThan(300);
      const one = rowDelta(f0, await fingerprint(fx.db));
      if (rc.effect === 'event') expect(one['team_events']).toBe(1);

      const runs: Array<[number, boolean]> = [
        [1, false],
        [2, false],
        [3, false],
        [4, false],
        [5, false],
        [5, true],
      ];
      for (const [replays, concurrent] of runs) {
        const before = await fingerprint(fx.db);
        const count = await counter(key);
        const req = await rc.request(fx);
        const answers = await dropThenReplay(key, rc, req, replays, concurrent);
        const label = `${key}, ${replays} ${concurrent ? 'concurrent' : 'sequential'}`;
        expect(
          answers.every((a) => a.status < 300),
          `${label}: ${JSON.stringify(answers.map((a) => a.status))}`,
        ).toBe(true);
        // Stored answers come back from jsonb with keys in its order: compare as values.
        for (const a of answers)
          expect({ status: a.status, body: a.body }, `${label}: every replay gets the first answer`).toEqual({
            status: answers[0]!.status,
            body: answers[0]!.body,
          });
        expect(rowDelta(before, await fingerprint(fx.db)), `${label}: rows added`).toEqual(one);
        if (key === 'POST /api/crm/notifications/subscriptions') expect((await counter(key)) - count).toBe(1);
        const sentVersion = (req.body as { version?: number } | undefined)?.version;
        if (sentVersion !== undefined) {
          const versions = [...entries(answers[0]!.body)].filter(([k]) => k === 'version').map(([, v]) => v);
          expect(versions, `${label}: one version step`).toContain(sentVersion + 1);
        }
      }
    });
  }
});

describe('socket opportunity:move replayed after its ack was dropped', () => {
  it('has one effect: the replay is a 409 whose current shows the move already applied', async () => {
    const proxy = await startTcpProxy([node.port]);
    try {
      const id = fx.east.opportunityId;
      const { stageId, version } = await moveOf(fx, id);
      const [{ n: before }] = (await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM team_events WHERE type = 'opportunity:moved' AND (data->'opportunity'->>'id')::int = :id`,
        { id },
      )) as [{ n: number }];

      const phone = await connectWeapp(proxy.url, fx.people.ray.token);
      proxy.dropResponses = true;
      const lost = phone.command('opportunity:move', { id, stageId, version }, 1500).catch((err: Error) => err);
      for (let i = 0; i < 100 && (await fx.db.models.Opportunity.findByPk(id))!.version === version; i++)
        await new Promise((r) => setTimeout(r, 20));
      proxy.cutAll();
      expect(await lost).toBeInstanceOf(Error);
      phone.close();

      proxy.dropResponses = false;
      const again = await connectWeapp(proxy.url, fx.people.ray.token);
      const replay = await again.command('opportunity:move', { id, stageId, version });
      again.close();
      expect(replay).toMatchObject({ ok: false, error: { code: 'conflict' }, current: { id, stageId, version: version + 1 } });
      const [{ n: after }] = (await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM team_events WHERE type = 'opportunity:moved' AND (data->'opportunity'->>'id')::int = :id`,
        { id },
      )) as [{ n: number }];
      expect(after - before).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('with an Idempotency-Key, answers the first result to a replay over REST or the socket', async () => {
    const proxy = await startTcpProxy([node.port]);
    try {
      const id = fx.east.opportunityId;
      const { stageId, version } = await moveOf(fx, id);
      const before = await movedEvents(id);
      const idempotencyKey = `socket-${randomBytes(8).toString('hex')}`;

      const phone = await connectWeapp(proxy.url, fx.people.ray.token);
      proxy.dropResponses = true;
      const lost = phone.command('opportunity:move', { id, stageId, version, idempotencyKey }, 1500).catch((err: Error) => err);
      expect(await lost).toBeInstanceOf(Error);
      proxy.cutAll();
      phone.close();

      const overRest = await call(
        node.url,
        'PUT',
        { path: `/api/crm/opportunities/${id}/move`, body: { stageId, version } },
        fx.people.ray.token,
        { 'Idempotency-Key': idempotencyKey },
      );
      expect(overRest).toMatchObject({ status: 200, body: { success: true, opportunity: { id, stageId, version: version + 1 } } });
      proxy.dropResponses = false;
      const again = await connectWeapp(proxy.url, fx.people.ray.token);
      const overSocket = await again.command('opportunity:move', { id, stageId, version, idempotencyKey });
      again.close();
      expect(overSocket).toEqual({ ok: true, data: overRest.body });
      expect((await movedEvents(id)) - before).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
