import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import type { LeaderboardResponse, LeaderboardRow, PipelineResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { useTwoNodes } from '../support/two-nodes.js';
import { signInAll, type Session } from '../tasks/sessions.js';

const nodes = useTwoNodes();
const { phone } = nodes;

const TZ = 'Asia/Shanghai';
const monthNow = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/**
 * The same leaderboard computed another way: grouped scans by local month text, joined in
 * JavaScript, instead of the service's per-user lateral sums over month bounds.
 */
async function expected(teamId: number, month: string): Promise<LeaderboardRow[]> {
  const q = <T extends object>(sql: string) =>
    nodes.cluster.db.sequelize.query<T>(sql, { replacements: { teamId, month, tz: TZ }, type: QueryTypes.SELECT });
  const members = await q<{ id: number; name: string }>(
    `SELECT id, name FROM users WHERE team_id = :teamId AND active AND role <> 'admin'`,
  );
  const won = await q<{ owner_id: number; cents: string; n: string }>(
    `SELECT o.owner_id, sum(o.value_cents) AS cents, count(*) AS n FROM opportunities o, stages s
      WHERE s.id = o.stage_id AND s.outcome = 'won' AND o.team_id = :teamId
        AND to_char(o.closed_at AT TIME ZONE :tz, 'YYYY-MM') = :month GROUP BY o.owner_id`,
  );
  const acts = await q<{ actor_id: number; n: string }>(
    `SELECT actor_id, count(*) AS n FROM activities WHERE team_id = :teamId AND type <> 'stage-change'
        AND to_char(occurred_at AT TIME ZONE :tz, 'YYYY-MM') = :month GROUP BY actor_id`,
  );
  const targets = await q<{ user_id: number; cents: string }>(`SELECT user_id, won_value_cents AS cents FROM targets WHERE month = :month`);
  const rows = members.map((m) => {
    const w = won.find((r) => r.owner_id === m.id);
    const target = Number(targets.find((t) => t.user_id === m.id)?.cents ?? 0);
    const wonValueCents = Number(w?.cents ?? 0);
    return {
      userId: m.id,
      name: m.name,
      wonValueCents,
      targetCents: target,
      completion: target ? Number((wonValueCents / target).toFixed(4)) : null,
      wonCount: Number(w?.n ?? 0),
      activityCount: Number(acts.find((a) => a.actor_id === m.id)?.n ?? 0),
    };
  });
  return rows.sort((a, b) => b.wonValueCents - a.wonValueCents || a.userId - b.userId);
}

async function winDeal(rep: Session, title: string, valueCents: number): Promise<number> {
  const pipeline = (await rep.get<PipelineResponse>('/api/crm/pipeline')).body;
  const customer = (await rep.send('POST', '/api/crm/customers', { name: `${title} 客户` })).body.customer;
  const { opportunity } = (await rep.send('POST', '/api/crm/opportunities', { customerId: customer.id, title, valueCents })).body;
  const won = pipeline.stages.find((s) => s.outcome === 'won')!;
  const res = await rep.send('PUT', `/api/crm/opportunities/${opportunity.id}/move`, { stageId: won.id, version: opportunity.version });
  expect(res.status).toBe(200);
  return opportunity.id;
}

describe('targets and the leaderboard (ARCHITECTURE 9.4)', () => {
  it('agrees with an independent SQL computation, before and after deals are won and targets set', async () => {
    const [mia, ray, rita] = await signInAll(nodes.nodeA, ['mia', 'ray', 'rita']);
    const month = monthNow();
    const read = async () => (await mia.get<LeaderboardResponse>(`/api/crm/analytics/leaderboard?month=${month}`)).body;
    expect((await read()).rows).toEqual(await expected(mia.user.teamId!, month));

    expect((await mia.send('PUT', '/api/crm/targets', { userId: ray.user.id, month, wonValueCents: 10_000_000 })).status).toBe(200);
    const set = await mia.send('PUT', '/api/crm/targets', { userId: rita.user.id, month, wonValueCents: 3_000_000 });
    expect(set.body.target).toMatchObject({ userId: rita.user.id, month, wonValueCents: 3_000_000, teamId: mia.user.teamId });
    await winDeal(ray, '大单', 2_500_000);
    await winDeal(rita, '小单一', 1_000_000);
    await winDeal(rita, '小单二', 2_000_000);
    await ray.send('POST', '/api/crm/activities', {
      customerId: (await ray.get('/api/crm/customers?scope=mine&limit=1')).body.customers[0].id,
      type: 'call',
      content: '电话',
    });

    const board = await read();
    expect(board).toMatchObject({ month, teamId: mia.user.teamId });
    expect(board.rows).toEqual(await expected(mia.user.teamId!, month));
    const ritaRow = board.rows.find((r) => r.userId === rita.user.id)!;
    expect(ritaRow.wonValueCents).toBeGreaterThanOrEqual(3_000_000);
    expect(ritaRow.completion).toBeGreaterThanOrEqual(1);
    // A target set again replaces the first.
    await mia.send('PUT', '/api/crm/targets', { userId: rita.user.id, month, wonValueCents: 6_000_000 });
    expect((await read()).rows).toEqual(await expected(mia.user.teamId!, month));
    // Another month: nothing won, targets apart.
    expect((await mia.get<LeaderboardResponse>('/api/crm/analytics/leaderboard?month=2001-01')).body.rows).toEqual(
      await expected(mia.user.teamId!, '2001-01'),
    );
  });

  it("reaches every manager's phone at once when a deal is won, and the next read shows it", async () => {
    const mia = await phone(nodes.nodeA, 'mia');
    const ada = await phone(nodes.nodeB, 'ada');
    const ray = await signIn(nodes.nodeB, 'ray');
    const before = (await mia.get<LeaderboardResponse>('/api/crm/analytics/leaderboard')).body.rows.find((r) => r.userId === ray.user.id)!;
    const onMia = mia.client.next('opportunity:moved');
    const onAda = ada.client.next('opportunity:moved');
    const id = await winDeal(ray, '现场签约', 777_700);
    for (const env of [await onMia, await onAda])
      expect(env.data.opportunity).toMatchObject({ id, ownerId: ray.user.id, valueCents: 777_700 });
    const after = (await mia.get<LeaderboardResponse>('/api/crm/analytics/leaderboard')).body.rows.find((r) => r.userId === ray.user.id)!;
    expect(after.wonValueCents - before.wonValueCents).toBe(777_700);
    expect(after.wonCount - before.wonCount).toBe(1);
  });

  it('lets only managers and admins set targets, for members of their own teams; bad input is a 400', async () => {
    const [mia, ray, will, ada, olga] = await signInAll(nodes.nodeA, ['mia', 'ray', 'will', 'ada', 'olga']);
    const month = monthNow();
    expect((await ray.send('PUT', '/api/crm/targets', { userId: ray.user.id, month, wonValueCents: 1 })).status).toBe(403);
    expect((await mia.send('PUT', '/api/crm/targets', { userId: will.user.id, month, wonValueCents: 1 })).status).toBe(400);
    expect((await mia.send('PUT', '/api/crm/targets', { userId: olga.user.id, month, wonValueCents: 1 })).status).toBe(400);
    expect((await ada.send('PUT', '/api/crm/targets', { userId: will.user.id, month, wonValueCents: 5 })).status).toBe(200);
    for (const bad of [
      { userId: ray.user.id, month: '2025-13', wonValueCents: 1 },
      { userId: ray.user.id, month, wonValueCents: -1 },
      { userId: ray.user.id, month, wonValueCents: 1.5 },
      { userId: ray.user.id, month },
    ]) {
      expect((await mia.send('PUT', '/api/crm/targets', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await mia.get('/api/crm/analytics/leaderboard?month=25-01')).status).toBe(400);
    expect(await nodes.cluster.db.models.Target.count({ where: { userId: ray.user.id, wonValueCents: 1 } })).toBe(0);
  });
});
