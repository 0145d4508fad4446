import { QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { SalesMetrics } from '@live-crm/shared-types';
import { exactCents } from '../../core/money.js';
import { num, type PeriodBounds, type Scope } from './analytics.scope.js';

interface SalesRow {
  side: 'current' | 'previous';
  won_count: string;
  won_value: string;
  conversion: string;
  avg_deal: string | null;
  avg_cycle: string | null;
  new_pipeline: string;
}

/**
 * Won = closed in the period in a stage whose outcome is won; closed = won or lost. The sales cycle
 * is created -> closed of the won deals, in days. New pipeline = value of deals created in the period.
 */
const SALES_SQL = `
WITH sides(side, starts, ends) AS (
  VALUES ('current', CAST(:curFrom AS timestamptz), CAST(:curTo AS timestamptz)),
         ('previous', CAST(:prevFrom AS timestamptz), CAST(:curFrom AS timestamptz))
),
deals AS (
  SELECT o.value_cents, o.created_at, o.closed_at, s.outcome
  FROM opportunities o JOIN stages s ON s.id = o.stage_id
  WHERE o.tenant_id = :tenantId AND o.team_id IN (:teamIds) AND (CAST(:mine AS int) IS NULL OR o.owner_id = :mine)
    AND (o.closed_at >= :prevFrom OR o.created_at >= :prevFrom)
)
SELECT p.side,
  count(*) FILTER (WHERE x.closed_in AND x.outcome = 'won') AS won_count,
  COALESCE(sum(x.value_cents) FILTER (WHERE x.closed_in AND x.outcome = 'won'), 0) AS won_value,
  COALESCE(round(CAST(count(*) FILTER (WHERE x.closed_in AND x.outcome = 'won') AS numeric)
    / NULLIF(count(*) FILTER (WHERE x.closed_in AND x.outcome IN ('won', 'lost')), 0), 4), 0) AS conversion,
  round(avg(x.value_cents) FILTER (WHERE x.closed_in AND x.outcome = 'won')) AS avg_deal,
  round(CAST(avg(EXTRACT(EPOCH FROM x.closed_at - x.created_at) / 86400)
    FILTER (WHERE x.closed_in AND x.outcome = 'won') AS numeric), 1) AS avg_cycle,
  COALESCE(sum(x.value_cents) FILTER (WHERE x.created_in), 0) AS new_pipeline
FROM sides p
LEFT JOIN LATERAL (
  SELECT d.*, (d.closed_at >= p.starts AND d.closed_at < p.ends) AS closed_in,
         (d.created_at >= p.starts AND d.created_at < p.ends) AS created_in
  FROM deals d
) x ON x.closed_in OR x.created_in
GROUP BY p.side`;

export async function salesMetrics(db: Database, scope: Scope, b: PeriodBounds): Promise<SalesMetrics> {
  const rows = await db.sequelize.query<SalesRow>(SALES_SQL, {
    replacements: {
      tenantId: scope.tenantId,
      teamIds: scope.teamIds,
      mine: scope.mine,
      curFrom: b.curFrom,
      curTo: b.curTo,
      prevFrom: b.prevFrom,
    },
    type: QueryTypes.SELECT,
  });
  const cur = rows.find((r) => r.side === 'current');
  const prev = rows.find((r) => r.side === 'previous');
  const pick = (f: (r: SalesRow | undefined) => number) => ({ current: f(cur), previous: f(prev) });
  return {
    wonValueCents: pick((r) => exactCents(r?.won_value)),
    wonCount: pick((r) => num(r?.won_count)),
    conversionRate: pick((r) => num(r?.conversion)),
    averageDealCents: pick((r) => exactCents(r?.avg_deal)),
    averageCycleDays: pick((r) => num(r?.avg_cycle)),
    newPipelineCents: pick((r) => exactCents(r?.new_pipeline)),
  };
}
