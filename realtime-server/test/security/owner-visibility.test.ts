import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, readSheets } from '../export/xlsx.js';
import { devLogin } from '../support/clients.js';
import { changedTables, fingerprint } from '../support/fingerprint.js';
import { startTestNode } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { type Fixture, loadFixture, type Login, type Person } from './fixture.js';
import { call, isClientError, stable } from './judge.js';
import { COMMANDS, ROUTES } from './route-catalog.js';

/**
 * ARCHITECTURE 9.2 in team West (visibility `owner`): the victim is rep `will` (cast as `ray`, with
 * `wes` as manager and second owner), the intruder his teammate `wendy`, a rep of the same team who
 * owns none of his records. Every route and socket command aimed at his records, and every event
 * the suites cause, must show her nothing of them.
 */
let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
let wendy: Person;
let wendyPhone: WeappClient;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  node = await startTestNode({
    env: { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' },
  });
  const login = await devLogin(node.url, 'wendy');
  // Her phone listens from before anything of Will's exists: it hears every live event from here on.
  wendyPhone = await connectWeapp(node.url, login.token);
  sockets.push(wendyPhone);
  fx = await loadFixture(node.url, node.cluster.db, { ray: 'will', rita: 'wes', mia: 'wes' });
  wendy = fx.people.wendy;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await node?.stop();
});

const methodOf = (key: string): string => key.split(' ')[0]!;
/** In `owner` visibility an import's report is its uploader's and the managers' (the rep reading East's is refused). */
const READER: Record<string, Login> = { 'GET /api/crm/imports/:id': 'mia' };
/** The pool is everyone's in the team by design: claiming a pool customer is no intrusion. */
const SHARED = new Set(['POST /api/crm/customers/:id/claim', 'customer:claim-started']);

async function exportText(body: { downloadUrl: string }): Promise<string> {
  const file = await download(body.downloadUrl);
  return JSON.stringify((await readSheets(file.body)).flatMap((s) => s.rows));
}

describe("owner visibility: a teammate rep reaches nothing of another rep's records", () => {
  it('runs in team West, which keeps each rep to their own records', async () => {
    const res = await call(fx.url, 'GET', { path: '/api/crm/team/settings' }, wendy.token);
    expect(res.body.settings.visibility).toBe('owner');
    expect(wendy.user.teamId).toBe(fx.teams.east);
  });

  const rows = Object.entries(ROUTES).filter(([key, rc]) => (rc.aim === 'record' || rc.aim === 'scope') && !SHARED.has(key));
  for (const [key, rc] of rows) {
    it(key, async () => {
      const before = await fingerprint(fx.db);
      const req = await rc.request(fx);
      const res = await call(fx.url, methodOf(key), req, wendy.token);
      // A record of Will's, or a manager's route: she is refused.
      if (rc.aim === 'record' || rc.manager) {
        expect(isClientError(res.status), `${key}: wendy got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
      } else {
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(300);
        const shown = rc.download ? await exportText(res.body) : JSON.stringify(res.body);
        expect(shown.includes(fx.marker), `${key}: wendy's answer shows Will's marker`).toBe(false);
        if (rc.own && !rc.download) {
          const own = await call(fx.url, methodOf(key), await rc.own(fx), wendy.token);
          expect(JSON.stringify(stable(res.body))).toBe(JSON.stringify(stable(own.body)));
        }
      }
      expect(changedTables(before, await fingerprint(fx.db)), `${key}: tables written by wendy's call`).toEqual([]);
      // Will (or Wes) is refused nothing: the refusal was about who asked.
      const as = READER[key] ?? rc.as;
      const ok = await call(fx.url, methodOf(key), req, fx.people[as].token);
      expect(ok.status, `${key} as ${as}: ${JSON.stringify(ok.body).slice(0, 300)}`).toBeLessThan(300);
      if (rc.showsMarker) {
        const shown = rc.download ? await exportText(ok.body) : JSON.stringify(ok.body);
        expect(shown, `${key}: Will's own answer shows the marker`).toContain(fx.marker);
      }
    });
  }

  for (const [name, cc] of Object.entries(COMMANDS).filter(([n, cc]) => cc.aim !== 'self' && !SHARED.has(n))) {
    it(`socket ${name}`, async () => {
      const before = await fingerprint(fx.db);
      const client = await connectWeapp(fx.url, wendy.token);
      sockets.push(client);
      const ack = await client.command(name as 'sync:resume', await cc.payload(fx));
      client.close();
      if (cc.aim === 'record') expect(ack.ok, JSON.stringify(ack)).toBe(false);
      else expect(JSON.stringify(ack).includes(fx.marker), `${name}: ${JSON.stringify(ack).slice(0, 300)}`).toBe(false);
      expect(changedTables(before, await fingerprint(fx.db))).toEqual([]);
    });
  }

  it("sync:resume from the start replays every seq of the team, Will's as event:redacted", async () => {
    const client = await connectWeapp(fx.url, wendy.token);
    sockets.push(client);
    const seqs: number[] = [];
    let after = 0;
    for (let more = true; more;) {
      const ack = await client.command('sync:resume', { lastSeq: { [String(fx.teams.east)]: after } });
      expect(ack.ok).toBe(true);
      const data = (ack as { data: { events: Array<{ seq: number; type: string }>; hasMore: boolean } }).data;
      expect(JSON.stringify(data)).not.toContain(fx.marker);
      seqs.push(...data.events.map((e) => e.seq));
      after = seqs.at(-1) ?? after;
      more = data.hasMore && data.events.length > 0;
    }
    client.close();
    const head = (await fx.db.models.Team.findByPk(fx.teams.east))!.lastSeq;
    expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });

  it("heard every event live, with Will's redacted to their seq, and nothing of his", async () => {
    const all = wendyPhone.heard();
    expect(JSON.stringify(all).includes(fx.marker)).toBe(false);
    const redacted = wendyPhone.received('event:redacted');
    expect(redacted.length).toBeGreaterThan(10);
    for (const r of redacted) expect(Object.keys(r).sort()).toEqual(['at', 'eventId', 'seq', 'teamId', 'type']);
    // Her stream has no hole: every seq of the team reached her, in full or redacted.
    // Every envelope carries a seq (team events and redactions); notifications and presence do not.
    const seen = new Set(all.map((e) => e.payload?.seq).filter((seq): seq is number => typeof seq === 'number'));
    const head = (await fx.db.models.Team.findByPk(fx.teams.east))!.lastSeq;
    const first = Math.min(...seen);
    for (let s = first; s <= head; s++) expect(seen.has(s), `seq ${s}`).toBe(true);
  });
});
