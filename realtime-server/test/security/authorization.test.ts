import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportSigner } from '../../src/modules/export/export.signer.js';
import { download, readSheets } from '../export/xlsx.js';
import { changedTables, fingerprint } from '../support/fingerprint.js';
import { startTestNode, TEST_JWT_SECRET } from '../support/nodes.js';
import { listRoutes, routeKey } from '../support/routes.js';
import { badTokens } from '../support/tokens.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';
import { type Fixture, loadFixture, type Login, type Person } from './fixture.js';
import { call, isClientError, leakIn, stable } from './judge.js';
import { COMMANDS, ROUTES, type Req, type RouteCase } from './route-catalog.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  node = await startTestNode({
    env: { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' },
  });
  fx = await loadFixture(node.url, node.cluster.db);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await node?.stop();
});

/** Presented instead of a valid session: each must be a 401 on every route and `unauthorized` on connect. */
function forgedTokens(): Record<string, string | undefined> {
  const { ray, olga, ada } = fx.people;
  return {
    'no token': undefined,
    'expired token': badTokens.expired(ray.user.id, ray.user.tenantId),
    'alg: none': badTokens.algNone(ray.user.id, ray.user.tenantId),
    'edited claims (sub -> an admin)': badTokens.editedClaims(ray.token, { sub: String(ada.user.id) }),
    'edited claims (tid -> this tenant)': badTokens.editedClaims(olga.token, { tid: ray.user.tenantId }),
    'signed with another key': badTokens.wrongKey(ray.user.id, ray.user.tenantId),
    'no exp': badTokens.unexpiring(ray.user.id, ray.user.tenantId),
    'sub "0<id>"': badTokens.subSpelled(`0${ray.user.id}`, ray.user.tenantId),
    'sub "<id>.0"': badTokens.subSpelled(`${ray.user.id}.0`, ray.user.tenantId),
    'sub " <id>"': badTokens.subSpelled(` ${ray.user.id}`, ray.user.tenantId),
  };
}

/** Signed-in users outside team East: another tenant's rep and manager, another team's rep and manager. */
const OUTSIDERS: Login[] = ['olga', 'oscar', 'will', 'wes'];

const methodOf = (key: string): string => key.split(' ')[0]!;

async function exportRows(body: any): Promise<unknown[][]> {
  const file = await download(body.downloadUrl);
  return (await readSheets(file.body)).flatMap((s) => s.rows);
}

/** Why an outsider's answer counts as getting in, or null when they were kept out. */
async function breach(rc: RouteCase, key: string, req: Req, who: Person): Promise<string | null> {
  const res = await call(fx.url, methodOf(key), req, who.token);
  if (isClientError(res.status)) return null;
  if (res.status >= 500 || rc.aim === 'record') return `answered ${res.status}`;
  const leak = leakIn(res.body, who, fx.marker);
  if (leak) return `answered ${res.status}, ${leak}`;
  if (!rc.own) return null;
  const own = await call(fx.url, methodOf(key), await rc.own(fx), who.token);
  if (rc.download) {
    const [got, mine] = [await exportRows(res.body), await exportRows(own.body)];
    if (JSON.stringify(got).includes(fx.marker) || JSON.stringify(got) !== JSON.stringify(mine))
      return 'download differs from their own scope';
    return null;
  }
  return JSON.stringify(stable(res.body)) === JSON.stringify(stable(own.body)) ? null : 'answer differs from their own scope';
}

describe('the route table', () => {
  it('has exactly one row per route the app answers (read from the Express router at run time)', () => {
    const live = listRoutes(node.node.app).map(routeKey).sort();
    expect(
      live.filter((k) => !(k in ROUTES)),
      'routes without a row',
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((k) => !live.includes(k)),
      'rows without a route',
    ).toEqual([]);
  });

  it('has exactly one row per socket command the server registers', async () => {
    const ray = await connectWeapp(node.url, fx.people.ray.token);
    sockets.push(ray);
    const [server] = [...node.node.io.of('/').sockets.values()];
    const reserved = new Set(['disconnect', 'disconnecting', 'error']);
    const live = server!
      .eventNames()
      .map(String)
      .filter((e) => !reserved.has(e))
      .sort();
    expect(live).toEqual(Object.keys(COMMANDS).sort());
  });
});

describe('REST: every route refuses forged sessions, outsiders and reps where a manager is needed', () => {
  const rows = Object.entries(ROUTES).filter(([, rc]) => rc.auth !== 'public');
  for (const [key, rc] of rows) {
    it(key, async () => {
      const before = await fingerprint(fx.db);
      const req = await rc.request(fx);
      const breaches: string[] = [];

      if (rc.auth === 'bearer') {
        for (const [name, token] of Object.entries(forgedTokens())) {
          const res = await call(fx.url, methodOf(key), req, token);
          if (res.status !== 401 || res.body?.error?.code !== 'unauthorized') breaches.push(`${name}: ${res.status}`);
        }
        if (rc.aim === 'record' || rc.aim === 'scope') {
          for (const login of OUTSIDERS) {
            const why = await breach(rc, key, req, fx.people[login]);
            if (why) breaches.push(`${login}: ${why}`);
          }
        }
        if (rc.manager) {
          for (const login of ['ray', 'rita'] as const) {
            const res = await call(fx.url, methodOf(key), req, fx.people[login].token);
            if (res.status !== 403) breaches.push(`${login} (a rep): ${res.status}`);
          }
        }
      } else {
        breaches.push(...(await forgedLinks(req)));
      }

      expect(breaches, `${key}: who got in`).toEqual([]);
      expect(changedTables(before, await fingerprint(fx.db)), `${key}: tables written by refused calls`).toEqual([]);

      // The same request from the rightful caller works: the refusals above were about who asked.
      const ok = rc.auth === 'bearer' ? await call(fx.url, methodOf(key), req, fx.people[rc.as].token) : null;
      if (ok) expect(ok.status, `${key} as ${rc.as}: ${JSON.stringify(ok.body)}`).toBeLessThan(300);
      if (ok && rc.showsMarker) {
        const shown = rc.download ? await exportRows(ok.body) : ok.body;
        expect(JSON.stringify(shown), `${key}: East's own answer shows the marker`).toContain(fx.marker);
      }
    });
  }
});

/** The download link is its own credential: forged, edited, foreign-signed and expired links open nothing. */
async function forgedLinks(req: Req): Promise<string[]> {
  const { ray } = fx.people;
  const claims = { userId: ray.user.id, tenantId: ray.user.tenantId, type: 'customers' as const, filters: {}, locale: 'en' as const };
  const genuine = createExportSigner(TEST_JWT_SECRET).sign(claims).token;
  const [payload, mac] = genuine.split('.') as [string, string];
  const edited = Buffer.from(JSON.stringify({ ...claims, userId: fx.people.ada.user.id, exp: Date.now() + 60_000 })).toString('base64url');
  const tokens: Record<string, string | undefined> = {
    'no token': undefined,
    'a session JWT': ray.token,
    'edited claims, signature kept': `${edited}.${mac}`,
    'no signature': `${payload}.`,
    'signed with another key': createExportSigner('another-secret-that-is-long-enough-for-hs256-000000').sign(claims).token,
    expired: createExportSigner(TEST_JWT_SECRET, 1_000, () => Date.now() - 60_000).sign(claims).token,
  };
  const out: string[] = [];
  for (const [name, token] of Object.entries(tokens)) {
    const res = await call(fx.url, 'GET', { path: req.path, ...(token ? { query: { token } } : {}) });
    if (!isClientError(res.status)) out.push(`${name}: ${res.status}`);
  }
  return out;
}

describe('socket: forged sessions cannot connect, outsiders reach nothing of East through any command', () => {
  it('refuses every forged token at the handshake with "unauthorized"', async () => {
    for (const [name, token] of Object.entries(forgedTokens())) {
      await expect(connectWeapp(node.url, token), name).rejects.toThrow('unauthorized');
    }
  });

  for (const [name, cc] of Object.entries(COMMANDS)) {
    it(name, async () => {
      const before = await fingerprint(fx.db);
      const payload = await cc.payload(fx);
      const breaches: string[] = [];
      for (const login of OUTSIDERS) {
        const who = fx.people[login];
        const client = await connectWeapp(node.url, who.token);
        sockets.push(client);
        const ack = await client.command(name as 'sync:resume', payload);
        client.close();
        if (!ack.ok) {
          const code = ack.error.code;
          if (['internal', 'unavailable'].includes(code)) breaches.push(`${login}: ${code}`);
          continue;
        }
        if (cc.aim === 'record') breaches.push(`${login}: ok`);
        else if (
          cc.aim === 'self' &&
          JSON.stringify(ack.data) !== JSON.stringify({ resource: (payload as { resource: string }).resource })
        ) {
          breaches.push(`${login}: answered ${JSON.stringify(ack.data)}`);
        } else {
          const leak = leakIn(ack.data, who, fx.marker);
          const teams = Object.keys(ack.data.latestSeq ?? {}).map(Number);
          if (leak) breaches.push(`${login}: ${leak}`);
          if (teams.some((t) => t !== who.user.teamId)) breaches.push(`${login}: latestSeq of teams ${teams.join(',')}`);
        }
      }
      expect(breaches, `${name}: who got in`).toEqual([]);
      expect(changedTables(before, await fingerprint(fx.db))).toEqual([]);

      const ray = await connectWeapp(node.url, fx.people.ray.token);
      sockets.push(ray);
      const ok = await ray.command(name as 'sync:resume', await cc.payload(fx));
      expect(ok.ok, `${name} as ray: ${JSON.stringify(ok)}`).toBe(true);
      ray.close();
    });
  }
});
