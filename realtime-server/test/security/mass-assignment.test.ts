import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@live-crm/models';
import { startTestNode } from '../support/nodes.js';
import { connectWeapp } from '../support/weapp.js';
import { type Fixture, loadFixture } from './fixture.js';
import { call, entries } from './judge.js';
import { COMMANDS, ROUTES } from './route-catalog.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let fx: Fixture;

beforeAll(async () => {
  node = await startTestNode({ env: { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', REMINDER_INTERVAL_MS: '0' } });
  fx = await loadFixture(node.url, node.cluster.db);
});
afterAll(async () => node?.stop());

const FOREIGN_ID = 987_654_321;
const FOREIGN_VERSION = 4242;

/** Ownership and identity fields a client might try to set: another tenant's team and user. */
function injected(): Record<string, unknown> {
  const { olga } = fx.people;
  return {
    tenantId: olga.user.tenantId,
    teamId: fx.teams.north,
    ownerId: olga.user.id,
    createdById: olga.user.id,
    authorId: olga.user.id,
    actorId: olga.user.id,
    role: 'admin',
    id: FOREIGN_ID,
  };
}

/** Which injected values show up in an answer (none may). */
function echoed(body: unknown, sent: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of entries(body)) {
    if (k in sent && k !== 'version' && v === sent[k]) out.push(`${k}=${String(v)}`);
    if (k === 'version' && v === FOREIGN_VERSION) out.push(`version=${v}`);
  }
  return out;
}

const COLUMNS = ['tenant_id', 'team_id', 'owner_id', 'created_by_id', 'author_id', 'actor_id', 'id'];

/** Rows anywhere in the database that carry one of the injected values in an ownership column. */
async function rowsWithInjected(db: Database): Promise<Record<string, number>> {
  const cols = await db.sequelize.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name IN (:names) AND table_name <> 'schema_migrations'`,
    { replacements: { names: COLUMNS }, type: QueryTypes.SELECT },
  );
  const { olga } = fx.people;
  const value: Record<string, number> = {
    tenant_id: olga.user.tenantId,
    team_id: fx.teams.north,
    id: FOREIGN_ID,
    owner_id: olga.user.id,
    created_by_id: olga.user.id,
    author_id: olga.user.id,
    actor_id: olga.user.id,
  };
  const qi = db.sequelize.getQueryInterface();
  const out: Record<string, number> = {};
  for (const { table_name: t, column_name: c } of cols) {
    const [row] = await db.sequelize.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${qi.quoteIdentifier(t)} WHERE ${qi.quoteIdentifier(c)} = :v`,
      { replacements: { v: value[c] }, type: QueryTypes.SELECT },
    );
    out[`${t}.${c}`] = row!.n;
  }
  return out;
}

describe('mass assignment: tenantId, teamId, ownerId, version, role, createdById and id in a body change nothing', () => {
  const writes = Object.entries(ROUTES).filter(([, rc]) => rc.aim !== 'public' && rc.effect !== 'none' && rc.body);

  it('every write route takes the injected fields, succeeds, and neither answers nor stores them', async () => {
    const before = await rowsWithInjected(fx.db);
    const problems: string[] = [];
    for (const [key, rc] of writes) {
      const req = await rc.request(fx);
      const body = req.body as Record<string, unknown>;
      // `version` is the optimistic lock on edits; on creates it is just another field to ignore.
      const sent = { ...injected(), ...('version' in body ? {} : { version: FOREIGN_VERSION }) };
      const res = await call(fx.url, key.split(' ')[0]!, { ...req, body: { ...sent, ...body } }, fx.people[rc.as].token);
      if (res.status >= 300) problems.push(`${key}: ${res.status} ${JSON.stringify(res.body)}`);
      const echoes = echoed(res.body, sent);
      if (echoes.length > 0) problems.push(`${key} answered ${echoes.join(', ')}`);
    }
    expect(writes.length).toBeGreaterThanOrEqual(12);
    expect(problems).toEqual([]);
    expect(await rowsWithInjected(fx.db)).toEqual(before);

    const me = await call(fx.url, 'GET', { path: '/api/me' }, fx.people.ray.token);
    expect(me.body.user).toMatchObject({
      id: fx.people.ray.user.id,
      role: 'rep',
      teamId: fx.teams.east,
      tenantId: fx.people.ray.user.tenantId,
    });
  });

  it('opportunity:move over the socket ignores the same fields', async () => {
    const before = await rowsWithInjected(fx.db);
    const ray = await connectWeapp(fx.url, fx.people.ray.token);
    const payload = { ...injected(), ...((await COMMANDS['opportunity:move']!.payload(fx)) as object) };
    const ack = await ray.command('opportunity:move', payload);
    ray.close();
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(echoed(ack, injected())).toEqual([]);
    expect(await rowsWithInjected(fx.db)).toEqual(before);
  });
});
