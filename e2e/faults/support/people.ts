import pg from 'pg';
import type { CustomerListResponse, PipelineResponse } from '@live-crm/shared-types';
import { createTokenSigner } from '../../../realtime-server/src/modules/auth/jwt.js';
import type { PhoneUser } from './phones.js';
import { FAULT_JWT_SECRET } from './server-node.js';
import type { WriterSpec } from './writers.js';

const signer = createTokenSigner(FAULT_JWT_SECRET);

/**
 * `perTeam` more reps in every team, plus `admins` admins of the first tenant (they follow all its
 * teams): one user per phone, as in real life, so per-user limits stay at their defaults.
 */
export async function addPhoneUsers(databaseUrl: string, perTeam: number, admins: number): Promise<PhoneUser[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // These tests are about processes dying, not about who sees what: every phone here should hear
    // every fact, so the demo's West (owner visibility, its own suite) runs in team mode here.
    await db.query(`UPDATE team_settings SET visibility = 'team'`);
    const teams = (await db.query<{ id: number; tenant_id: number }>('SELECT id, tenant_id FROM teams ORDER BY id')).rows;
    const users: PhoneUser[] = [];
    for (const team of teams) {
      const rows = (
        await db.query<{ id: number }>(
          `INSERT INTO users (tenant_id, team_id, login, name, role, created_at, updated_at)
         SELECT $1::int, $2::int, 'phone-' || $2::int || '-' || g, 'Phone ' || g, 'rep', now(), now()
           FROM generate_series(1, $3::int) g RETURNING id`,
          [team.tenant_id, team.id, perTeam],
        )
      ).rows;
      users.push(
        ...rows.map((r) => ({ id: r.id, tenantId: team.tenant_id, teamIds: [team.id], token: signer.sign(r.id, team.tenant_id) })),
      );
    }
    const tenant = teams[0]!.tenant_id;
    const adminRows = (
      await db.query<{ id: number }>(
        `INSERT INTO users (tenant_id, team_id, login, name, role, created_at, updated_at)
       SELECT $1::int, NULL, 'phone-admin-' || g, 'Admin ' || g, 'admin', now(), now() FROM generate_series(1, $2::int) g RETURNING id`,
        [tenant, admins],
      )
    ).rows;
    const tenantTeams = teams.filter((t) => t.tenant_id === tenant).map((t) => t.id);
    users.push(...adminRows.map((r) => ({ id: r.id, tenantId: tenant, teamIds: tenantTeams, token: signer.sign(r.id, tenant) })));
    return users;
  } finally {
    await db.end();
  }
}

/**
 * A writer per login (default: one per demo team), each with open deals of its team that no other
 * writer moves (so versions never race) and a customer to note on.
 */
export async function writerSpecs(url: string, logins = ['ray', 'will', 'olga']): Promise<WriterSpec[]> {
  const specs: WriterSpec[] = [];
  for (const login of logins) {
    const { token, user } = (await (
      await fetch(`${url}/api/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login }),
      })
    ).json()) as { token: string; user: { teamId: number } };
    const get = async <T>(path: string) =>
      (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<T>;
    const pipeline = await get<PipelineResponse>('/api/crm/pipeline');
    const open = pipeline.stages.filter((s) => s.outcome === 'open').map((s) => s.id);
    const mates = specs.filter((s) => s.teamId === user.teamId).length;
    const deals = pipeline.opportunities.filter((o) => open.includes(o.stageId)).slice(mates * 3, mates * 3 + 3);
    if (deals.length === 0) throw new Error(`no open deals left for ${login}`);
    const { customers } = await get<CustomerListResponse>('/api/crm/customers?limit=1');
    specs.push({
      token,
      teamId: user.teamId,
      customerId: customers[0]!.id,
      deals: deals.map((d) => ({ id: d.id, version: d.version })),
      stageIds: open,
    });
  }
  return specs;
}

/** Each team's head seq and every committed (seq, at), read from the database. */
export async function eventLog(
  databaseUrl: string,
): Promise<{ heads: Map<number, number>; events: Array<{ team: number; seq: number; at: number }> }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const heads = new Map(
      (await db.query<{ id: number; last_seq: number }>('SELECT id, last_seq FROM teams')).rows.map((r) => [r.id, r.last_seq]),
    );
    const events = (
      await db.query<{ team_id: number; seq: number; at: Date }>('SELECT team_id, seq, at FROM team_events ORDER BY team_id, seq')
    ).rows.map((r) => ({ team: r.team_id, seq: r.seq, at: r.at.getTime() }));
    return { heads, events };
  } finally {
    await db.end();
  }
}
