import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let cluster: TestCluster;
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, {
    env: { EVENT_RETENTION_DAYS: '1', IDEMPOTENCY_RETENTION_HOURS: '48', RETENTION_INTERVAL_MS: '150', REMINDER_INTERVAL_MS: '0' },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster.stop();
});

const sql = <T extends object>(text: string, replacements: Record<string, unknown> = {}) =>
  cluster.db.sequelize.query<T>(text, { replacements, type: QueryTypes.SELECT });

async function seqsOf(teamId: number): Promise<number[]> {
  return (await sql<{ seq: number }>('SELECT seq FROM team_events WHERE team_id = :teamId ORDER BY seq', { teamId })).map((r) => r.seq);
}

async function keyExists(key: string): Promise<boolean> {
  return (await sql('SELECT 1 FROM idempotency_keys WHERE key = :key', { key })).length > 0;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Four moves by ray: the last two stay young, the first two are aged past retention. */
async function history(ray: Awaited<ReturnType<typeof signIn>>) {
  const p = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
  const deal = p.opportunities[0]!;
  const keys = ['retention-old-key-1', 'retention-new-key-1'];
  for (let i = 0; i < 4; i++) {
    const idem = i === 0 ? keys[0]! : i === 3 ? keys[1]! : undefined;
    const res = await ray.send(
      'PUT',
      `/api/crm/opportunities/${deal.id}/move`,
      { stageId: p.stages[(i + 1) % 4]!.id, version: deal.version + i },
      idem ? { 'Idempotency-Key': idem } : undefined,
    );
    expect(res.status).toBe(200);
  }
  return { keys };
}

describe('retention of team_events and Idempotency-Keys', () => {
  it('prunes on its own schedule, and a client beyond retention gets reset: true', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]];
    const ray = await signIn(a.url, 'ray');
    const teamId = ray.user.teamId!;
    const { keys } = await history(ray);
    const all = await seqsOf(teamId);
    const head = all.at(-1)!;
    await sql(`UPDATE team_events SET at = now() - interval '2 days' WHERE team_id = :teamId AND seq <= :old`, { teamId, old: head - 2 });
    await sql(`UPDATE idempotency_keys SET created_at = now() - interval '49 hours' WHERE key = :key`, { key: keys[0] });

    await until('old events pruned', async () => (await seqsOf(teamId)).length === 2);
    await until('old key pruned', async () => !(await keyExists(keys[0]!)));
    expect(await seqsOf(teamId)).toEqual([head - 1, head]);
    expect(await keyExists(keys[1]!)).toBe(true);

    const rita = await connectWeapp(b.url, (await signIn(b.url, 'rita')).token);
    clients.push(rita);
    const beyond = await rita.command('sync:resume', { lastSeq: { [teamId]: 0 } });
    expect(beyond).toMatchObject({ ok: true, data: { reset: true, events: [], latestSeq: { [teamId]: head } } });
    const justBeyond = await rita.command('sync:resume', { lastSeq: { [teamId]: head - 3 } });
    expect(justBeyond).toMatchObject({ ok: true, data: { reset: true } });
    const within = await rita.command('sync:resume', { lastSeq: { [teamId]: head - 2 } });
    expect(within.ok && within.data.reset).toBe(false);
    expect(within.ok && within.data.events.map((e: { seq: number }) => e.seq)).toEqual([head - 1, head]);
  });

  it('is safe to run on two nodes at once, and stop() (called by node.close) ends the schedule', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]];
    const runs = await Promise.all([a.node.retention.runOnce(), b.node.retention.runOnce(), a.node.retention.runOnce()]);
    expect(runs.every((r) => r.events >= 0 && r.idempotencyKeys >= 0)).toBe(true);

    await Promise.all([a.node.retention.stop(), b.node.retention.stop()]);
    const teamId = (await signIn(a.url, 'ray')).user.teamId!;
    const kept = await seqsOf(teamId);
    await sql(`UPDATE team_events SET at = now() - interval '2 days' WHERE team_id = :teamId`, { teamId });
    await new Promise((r) => setTimeout(r, 600));
    expect(await seqsOf(teamId)).toEqual(kept);
  });
});
