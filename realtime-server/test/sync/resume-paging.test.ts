import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineResponse, SyncResumeResult } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let node: Awaited<ReturnType<typeof startTestNode>>;

beforeAll(async () => {
  node = await startTestNode({ env: { REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
});
afterAll(() => node?.stop());

/** Asks from `seen` again and again while the answer says there is more; answers every page. */
async function catchUp(phone: WeappClient, teamId: number, seen: number): Promise<SyncResumeResult[]> {
  const pages: SyncResumeResult[] = [];
  for (;;) {
    const res = await phone.command('sync:resume', { lastSeq: { [teamId]: seen } });
    expect(res.ok).toBe(true);
    const page = (res as { data: SyncResumeResult }).data;
    pages.push(page);
    seen = page.events.at(-1)?.seq ?? seen;
    if (!page.hasMore || pages.length > 5) return pages;
  }
}

/**
 * `count` moves of one deal in the team's log: one made through the API, the rest the same move
 * written again with the next seqs (a day of a busy team, without a day of requests).
 */
async function busyLog(ray: Awaited<ReturnType<typeof signIn>>, count: number): Promise<{ teamId: number; first: number; head: number }> {
  const p = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
  const deal = p.opportunities[0]!;
  const res = await ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: p.stages[1]!.id, version: deal.version });
  expect(res.status).toBe(200);
  const teamId = ray.user.teamId!;
  const [{ seq: first }] = (await node.cluster.db.sequelize.query<{ seq: number }>(
    'SELECT max(seq) AS seq FROM team_events WHERE team_id = :teamId',
    { replacements: { teamId }, type: QueryTypes.SELECT },
  )) as [{ seq: number }];
  await node.cluster.db.sequelize.query(
    `INSERT INTO team_events (team_id, seq, event_id, type, actor_id, data, at)
     SELECT team_id, seq + i, gen_random_uuid(), type, actor_id, data, at FROM team_events, generate_series(1, :more) AS i
     WHERE team_id = :teamId AND seq = :first;
     UPDATE teams SET last_seq = :head WHERE id = :teamId`,
    { replacements: { teamId, first, more: count - 1, head: first + count - 1 } },
  );
  return { teamId, first, head: first + count - 1 };
}

describe('sync:resume pages what was missed', () => {
  it('1,200 missed events come in three pages of at most 500, in order, the last without hasMore', async () => {
    const ray = await signIn(node.url, 'ray');
    const { teamId, first, head } = await busyLog(ray, 1200);
    const phone = await connectWeapp(node.url, ray.token);
    const pages = await catchUp(phone, teamId, first - 1).finally(() => phone.close());
    expect(pages.map((p) => [p.events.length, p.hasMore, p.reset])).toEqual([
      [500, true, false],
      [500, true, false],
      [200, false, false],
    ]);
    expect(pages.every((p) => p.latestSeq[String(teamId)] === head)).toBe(true);
    const seqs = pages.flatMap((p) => p.events.map((e) => e.seq));
    expect(seqs).toEqual(Array.from({ length: 1200 }, (_, i) => first + i));
  });
});
