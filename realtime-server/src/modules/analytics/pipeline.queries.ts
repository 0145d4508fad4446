import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { PipelineAnalytics, RottingDeal, StageConversion, StageKey, StageStat, StageTransition } from '@live-crm/shared-types';
import { exactCents } from '../../core/money.js';
import { num, type PeriodBounds, type Scope } from './analytics.scope.js';

const ROTTING_LIMIT = 50;

/** Current deals per stage; stages of several teams merge by key, name and place. Totals over open stages. */
const STAGES_SQL = `
SELECT array_agg(DISTINCT s.id) AS stage_ids, s.key, s.name, s.position, s.outcome, s.probability,
  count(o.id) AS count, COALESCE(sum(o.value_cents), 0) AS value,
  COALESCE(round(sum(o.value_cents * s.probability) / 100.0), 0) AS weighted,
  sum(COALESCE(sum(o.value_cents) FILTER (WHERE s.outcome = 'open'), 0)) OVER () AS open_total,
  round(sum(COALESCE(sum(o.value_cents * s.probability) FILTER (WHERE s.outcome = 'open'), 0)) OVER () / 100.0) AS weighted_total
FROM stages s
JOIN teams t ON t.id = s.team_id AND t.tenant_id = :tenantId
LEFT JOIN opportunities o ON o.stage_id = s.id AND o.tenant_id = :tenantId AND (CAST(:mine AS int) IS NULL OR o.owner_id = :mine)
WHERE s.team_id IN (:teamIds)
GROUP BY s.position, s.key, s.name, s.outcome, s.probability
ORDER BY s.position, s.name`;

/**
 * Stage moves of the period from the team event log (every move commits one such fact). Per pair of
 * stages: moves and their share of all moves out of `from`; per `from`: exits, advances (to a later
 * stage that is not a lost outcome) and advances / exits, as window sums over the pairs.
 */
const TRANSITIONS_SQL = `
WITH moves AS (
  SELECT CAST(e.data->>'fromStageId' AS int) AS from_id, CAST(e.data->>'toStageId' AS int) AS to_id
  FROM team_events e
  WHERE e.team_id IN (:teamIds) AND e.type = 'opportunity:moved' AND e.at >= :movesFrom AND e.at < :curTo
    AND (CAST(:mine AS int) IS NULL OR :mine = ANY(e.owners))
),
pairs AS (
  SELECT f.key AS from_key, f.name AS from_name, f.position AS from_pos, t.key AS to_key, t.name AS to_name, t.position AS to_pos, count(*) AS count,
    bool_and(t.position > f.position AND t.outcome <> 'lost') AS forward
  FROM moves m
  JOIN stages f ON f.id = m.from_id AND f.team_id IN (:teamIds)
  JOIN stages t ON t.id = m.to_id AND t.team_id IN (:teamIds)
  WHERE m.from_id <> m.to_id
  GROUP BY f.position, f.key, f.name, t.position, t.key, t.name
)
SELECT q.*, round(q.count / q.exits, 4) AS share, round(q.advances / q.exits, 4) AS rate
FROM (
  SELECT p.*, sum(p.count) OVER w AS exits, COALESCE(sum(p.count) FILTER (WHERE p.forward) OVER w, 0) AS advances
  FROM pairs p WINDOW w AS (PARTITION BY p.from_pos, p.from_name)
) q
ORDER BY q.from_pos, q.from_name, q.to_pos, q.to_name`;

/** Open deals untouched for N days: no activity on the deal or its customer, and no change to the deal. */
const ROTTING_SQL = `
WITH open_deals AS (
  SELECT o.id, o.team_id, o.title, o.owner_id, o.value_cents, s.key AS stage_key, s.name AS stage_name,
    c.name AS customer_name, u.name AS owner_name,
    GREATEST(o.updated_at,
      (SELECT max(a.occurred_at) FROM activities a WHERE a.customer_id = o.customer_id AND a.team_id = o.team_id),
      (SELECT max(a.occurred_at) FROM activities a WHERE a.opportunity_id = o.id)) AS last_at
  FROM opportunities o
  JOIN stages s ON s.id = o.stage_id AND s.outcome = 'open'
  JOIN customers c ON c.id = o.customer_id
  LEFT JOIN users u ON u.id = o.owner_id
  WHERE o.tenant_id = :tenantId AND o.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR o.owner_id = :mine)
)
SELECT d.*, floor(EXTRACT(EPOCH FROM now() - d.last_at) / 86400) AS idle_days, count(*) OVER () AS total
FROM open_deals d
WHERE d.last_at < now() - CAST(:days AS int) * interval '1 day'
ORDER BY d.last_at, d.id
LIMIT :limit`;

interface StageRow {
  stage_ids: number[];
  key: StageKey | null;
  name: string;
  position: number;
  outcome: StageStat['outcome'];
  probability: number;
  count: string;
  value: string;
  weighted: string;
  open_total: string;
  weighted_total: string;
}
interface TransitionRow {
  from_key: StageKey | null;
  from_name: string;
  from_pos: number;
  to_key: StageKey | null;
  to_name: string;
  to_pos: number;
  count: string;
  share: string;
  exits: string;
  advances: string;
  rate: string;
}
interface RottingRow {
  id: number;
  team_id: number;
  title: string;
  owner_id: number | null;
  value_cents: string;
  stage_key: StageKey | null;
  stage_name: string;
  customer_name: string;
  owner_name: string | null;
  last_at: Date;
  idle_days: string;
  total: string;
}

export async function pipelineAnalytics(
  db: Database,
  scope: Scope,
  b: PeriodBounds & { movesFrom: Date },
  rottingDays: number,
): Promise<PipelineAnalytics> {
  const q = <T extends object>(sql: string, extra: Record<string, unknown> = {}) =>
    db.sequelize.query<T>(sql, {
      replacements: {
        tenantId: scope.tenantId,
        teamIds: scope.teamIds,
        mine: scope.mine,
        movesFrom: b.movesFrom,
        curTo: b.curTo,
        ...extra,
      },
      type: QueryTypes.SELECT,
    });
  const [stages, transitions, rotting] = await Promise.all([
    q<StageRow>(STAGES_SQL),
    q<TransitionRow>(TRANSITIONS_SQL),
    q<RottingRow>(ROTTING_SQL, { days: rottingDays, limit: ROTTING_LIMIT }),
  ]);
  return {
    stages: stages.map(toStageStat),
    transitions: transitions.map((r): StageTransition => ({
      from: r.from_name,
      fromKey: r.from_key,
      fromPosition: r.from_pos,
      to: r.to_name,
      toKey: r.to_key,
      toPosition: r.to_pos,
      count: num(r.count),
      share: num(r.share),
    })),
    conversion: conversionOf(transitions),
    movesFrom: b.movesFrom.toISOString(),
    openValueCents: exactCents(stages[0]?.open_total),
    weightedValueCents: exactCents(stages[0]?.weighted_total),
    rottingDays,
    rottingCount: num(rotting[0]?.total),
    rotting: rotting.map(toRotting),
  };
}

/** One entry per `from` stage: its pairs carry the same window sums, so the first one speaks for all. */
function conversionOf(rows: TransitionRow[]): StageConversion[] {
  const seen = new Map<string, StageConversion>();
  for (const r of rows) {
    const key = `${r.from_pos}:${r.from_name}`;
    if (!seen.has(key))
      seen.set(key, {
        key: r.from_key,
        name: r.from_name,
        position: r.from_pos,
        exits: num(r.exits),
        advances: num(r.advances),
        rate: num(r.rate),
      });
  }
  return [...seen.values()];
}

function toStageStat(r: StageRow): StageStat {
  return {
    stageIds: [...r.stage_ids].sort((x, y) => x - y),
    key: r.key,
    name: r.name,
    position: r.position,
    outcome: r.outcome,
    probability: r.probability,
    count: num(r.count),
    valueCents: exactCents(r.value),
    weightedCents: exactCents(r.weighted),
  };
}

function toRotting(r: RottingRow): RottingDeal {
  return {
    id: r.id,
    teamId: r.team_id,
    title: r.title,
    customerName: r.customer_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    stageKey: r.stage_key,
    stageName: r.stage_name,
    valueCents: exactCents(r.value_cents),
    lastActivityAt: new Date(r.last_at).toISOString(),
    idleDays: num(r.idle_days),
  };
}
