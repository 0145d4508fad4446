import type { Transaction } from 'sequelize';
import type { Database, OpportunityModel } from '@live-crm/models';
import type { MoveOpportunityResponse, Opportunity, OpportunityInput, OpportunityPatch, PipelineResponse } from '@live-crm/shared-types';
import { assertManager, assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/app-error.js';
import { totalCents, weightedCents } from '../../core/money.js';
import type { Handover } from '../../core/handover.js';
import { factStatement, type AnyTeamFact, type IdempotencyRef, type MutationRunner, type StatementRunner } from '../../core/mutation.js';
import type { CustomerOwnerOps } from '../customers/customer-owner.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { VisibilityRules } from '../ownership/visibility.js';
import type { MoveRequest } from './pipeline.schemas.js';

export interface PipelineServiceDeps {
  db: Database;
  mutate: MutationRunner;
  runStatement: StatementRunner;
  visibility: VisibilityRules;
  owners: Pick<CustomerOwnerOps, 'assertHolder' | 'reassignNotices'>;
  notifications: NotificationsService;
}

export const opportunityLink = (id: number): string => `/pages/opportunity-detail/index?id=${id}`;

/** A timestamp as `Date#toISOString()` writes it, so SQL-built DTOs match the models' `toDto()`. */
const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A whole move as one statement, so one round trip: the row lock, version, team access and stage
 * check in the UPDATE's WHERE; the customer's stage-change activity (stages as params, so each phone
 * names them in its language); the runner adds the seq, the event and the Idempotency-Key's answer.
 * The DTO mirrors OpportunityModel#toDto (a test holds them equal). $1 id, $2 stageId, $3 version,
 * $4 the actor's teams, $5 a rep's id (null for managers and admins): in an `owner` visibility team a
 * rep moves only their own deals.
 */
const MOVE = factStatement<'opportunity:moved', MoveOpportunityResponse>(
  'opportunity-move',
  'opportunity:moved',
  5,
  (runner) => `
  moved AS (
    UPDATE opportunities o
       SET stage_id = s.id, version = o.version + 1, updated_at = now(),
           closed_at = CASE WHEN s.outcome = 'open' THEN NULL ELSE COALESCE(o.closed_at, now()) END
      FROM opportunities prev, stages s
     WHERE o.id = $1::int AND prev.id = o.id AND o.version = $3::int
       AND o.team_id = ANY($4::int[]) AND s.id = $2::int AND s.team_id = o.team_id
       AND ($5::int IS NULL OR o.owner_id = $5::int
            OR NOT EXISTS (SELECT 1 FROM team_settings ts WHERE ts.team_id = o.team_id AND ts.visibility = 'owner'))
    RETURNING o.*, prev.stage_id AS from_stage_id
  ), dto AS (
    SELECT m.team_id, m.from_stage_id, array_remove(ARRAY[m.owner_id], NULL) AS owners, json_build_object(
      'id', m.id, 'teamId', m.team_id, 'customerId', m.customer_id, 'customerName', c.name,
      'title', m.title, 'valueCents', m.value_cents, 'currency', m.currency, 'stageId', m.stage_id,
      'ownerId', m.owner_id, 'ownerName', u.name, 'expectedCloseDate', m.expected_close_date,
      'closedAt', ${iso('m.closed_at')}, 'createdAt', ${iso('m.created_at')},
      'updatedAt', ${iso('m.updated_at')}, 'version', m.version) AS opportunity
    FROM moved m JOIN customers c ON c.id = m.customer_id LEFT JOIN users u ON u.id = m.owner_id
  ), stage_change AS (
    INSERT INTO activities (tenant_id, team_id, customer_id, opportunity_id, actor_id, type, content, params, occurred_at, created_at)
    SELECT m.tenant_id, m.team_id, m.customer_id, m.id, ${runner.actor}::int, 'stage-change', '',
           jsonb_build_object('title', m.title,
             'from', jsonb_build_object('id', f.id, 'key', f.key, 'name', f.name),
             'to', jsonb_build_object('id', s.id, 'key', s.key, 'name', s.name)),
           ${runner.at}::timestamptz, now()
      FROM moved m JOIN stages f ON f.id = m.from_stage_id JOIN stages s ON s.id = m.stage_id
     WHERE m.from_stage_id <> m.stage_id
  ), fact AS (
    SELECT team_id, owners,
           json_build_object('opportunity', opportunity, 'fromStageId', from_stage_id, 'toStageId', $2::int) AS data,
           json_build_object('success', true, 'opportunity', opportunity) AS answer
      FROM dto
  )`,
);

/** The only writer of opportunities. */
export function createPipelineService({ db, mutate, runStatement, visibility, owners, notifications }: PipelineServiceDeps) {
  const { Opportunity, Stage, Customer, User } = db.models;
  const include = [
    { model: Customer, as: 'customer', attributes: ['id', 'name'] },
    { model: User, as: 'owner', attributes: ['id', 'name'] },
  ];

  async function load(id: number, tx?: Transaction): Promise<OpportunityModel | null> {
    return Opportunity.findByPk(id, { include, transaction: tx ?? null });
  }

  /** The deal if the actor may see it (in `owner` mode a rep sees their own deals only), else 404. */
  async function loadFor(actor: Actor, id: number, tx?: Transaction): Promise<OpportunityModel> {
    const opp = await load(id, tx);
    if (!opp) throw notFound('Opportunity');
    assertTeamAccess(actor, opp.teamId, 'Opportunity');
    if (!(await visibility.seesOpportunity(actor, opp, tx))) throw notFound('Opportunity');
    return opp;
  }

  async function stageOf(teamId: number, stageId: number, tx?: Transaction) {
    const stage = await Stage.findOne({ where: { id: stageId, teamId }, transaction: tx ?? null });
    if (!stage)
      throw new AppError('validation', 'That stage does not belong to this pipeline', {
        details: { fields: [{ path: 'stageId', message: 'unknown stage' }] },
      });
    return stage;
  }

  /** Why a move matched no row, in the order the checks always ran: 404, then 400, then 409. */
  async function refuseMove(actor: Actor, id: number, stageId: number): Promise<never> {
    const opp = await loadFor(actor, id);
    await stageOf(opp.teamId, stageId);
    return stale(id);
  }

  async function stale(id: number, tx?: Transaction): Promise<never> {
    const current = await load(id, tx);
    if (!current) throw notFound('Opportunity');
    throw new AppError('conflict', 'Someone changed this deal first; here is the latest version', { current: current.toDto() });
  }

  return {
    async getPipeline(actor: Actor, requestedTeamId?: number): Promise<PipelineResponse> {
      const teamId = resolveTeam(actor, requestedTeamId);
      const scope = await visibility.scopeFor(actor, teamId);
      const [stages, opportunities] = await Promise.all([
        Stage.findAll({ where: { teamId }, order: [['position', 'ASC']] }),
        Opportunity.findAll({
          where: { teamId, ...(scope !== null ? { ownerId: scope } : {}) },
          include,
          order: [
            ['updatedAt', 'DESC'],
            ['id', 'DESC'],
          ],
        }),
      ]);
      const open = new Map(stages.filter((s) => s.outcome === 'open').map((s) => [s.id, s.probability]));
      const openDeals = opportunities.filter((o) => open.has(o.stageId));
      return {
        stages: stages.map((s) => s.toDto()),
        opportunities: opportunities.map((o) => o.toDto()),
        totalValue: totalCents(openDeals.map((o) => o.valueCents)),
        weightedValue: weightedCents(openDeals.map((o) => ({ valueCents: o.valueCents, percent: open.get(o.stageId)! }))),
      };
    },

    /** Every open deal the leaver owns in the team passes to `to`, inside the caller's transaction: one fact each. */
    async handOverWithin(tx: Transaction, { teamId, from, to }: Handover): Promise<AnyTeamFact[]> {
      const [, moved] = await Opportunity.update(
        { ownerId: to, version: db.sequelize.literal('version + 1') },
        { where: { teamId, ownerId: from, closedAt: null }, returning: true, transaction: tx },
      );
      if (moved.length === 0) return [];
      const rows = await Opportunity.findAll({ where: { id: moved.map((o) => o.id) }, include, order: [['id', 'ASC']], transaction: tx });
      return rows.map((row) => ({
        teamId,
        type: 'opportunity:owner-changed' as const,
        data: { opportunity: row.toDto(), previousOwnerId: from, reason: 'handover' as const },
      }));
    },

    async get(actor: Actor, id: number): Promise<Opportunity> {
      return (await loadFor(actor, id)).toDto();
    },

    async create(actor: Actor, input: OpportunityInput & { teamId?: number }, idem?: IdempotencyRef): Promise<Opportunity> {
      return mutate(actor, idem, async (tx) => {
        const customer = await Customer.findByPk(input.customerId, { transaction: tx });
        if (!customer) throw notFound('Customer');
        assertTeamAccess(actor, customer.teamId, 'Customer');
        if (!(await visibility.seesCustomer(actor, customer, tx))) throw notFound('Customer');
        const teamId = customer.teamId;
        const stage =
          input.stageId !== undefined
            ? await stageOf(teamId, input.stageId, tx)
            : await Stage.findOne({ where: { teamId }, order: [['position', 'ASC']], transaction: tx });
        if (!stage) throw new AppError('validation', 'This team has no pipeline stages');
        const row = await Opportunity.create(
          {
            tenantId: actor.tenantId,
            teamId,
            customerId: customer.id,
            title: input.title,
            valueCents: input.valueCents,
            stageId: stage.id,
            ownerId: actor.userId,
            expectedCloseDate: input.expectedCloseDate ?? null,
            closedAt: stage.outcome === 'open' ? null : new Date(),
          },
          { transaction: tx },
        );
        const opportunity = (await load(row.id, tx))!.toDto();
        return { result: opportunity, fact: { teamId, type: 'opportunity:created', data: { opportunity } } };
      });
    },

    async update(actor: Actor, id: number, patch: OpportunityPatch, idem?: IdempotencyRef): Promise<Opportunity> {
      const { version, ...fields } = patch;
      return mutate(actor, idem, async (tx) => {
        const opp = await loadFor(actor, id, tx);
        const [count] = await Opportunity.update({ ...fields, version: opp.version + 1 }, { where: { id, version }, transaction: tx });
        if (count === 0) return stale(id, tx);
        const opportunity = (await load(id, tx))!.toDto();
        return { result: opportunity, fact: { teamId: opp.teamId, type: 'opportunity:updated', data: { opportunity } } };
      });
    },

    /** A manager or admin gives the deal to a member of its team; both reps are told. */
    async reassign(actor: Actor, id: number, ownerId: number, idem?: IdempotencyRef): Promise<Opportunity> {
      assertManager(actor);
      return mutate(actor, idem, async (tx) => {
        const opp = await loadFor(actor, id, tx);
        const to = await owners.assertHolder(opp.teamId, ownerId, tx);
        if (opp.ownerId === ownerId) return { result: opp.toDto(), fact: null };
        const previousOwnerId = opp.ownerId;
        const [count] = await Opportunity.update(
          { ownerId, version: opp.version + 1 },
          { where: { id, version: opp.version }, transaction: tx },
        );
        if (count === 0) return stale(id, tx);
        const opportunity = (await load(id, tx))!.toDto();
        const drafts = owners.reassignNotices(actor, 'opportunity', opportunity.title, opportunityLink(id), to, previousOwnerId);
        const notices = await notifications.store(tx, drafts);
        const alsoToUsers = previousOwnerId === null ? [ownerId] : [ownerId, previousOwnerId];
        return {
          result: opportunity,
          fact: {
            teamId: opp.teamId,
            type: 'opportunity:owner-changed',
            data: { opportunity, previousOwnerId, reason: 'reassign' },
            alsoToUsers,
          },
          notices,
        };
      });
    },

    /**
     * Of many moves at one version exactly one wins; the rest get 409 with the fresh deal. The
     * hot path is MOVE alone; only a move it refused pays for the lookups that say why (or,
     * for a repeated Idempotency-Key, for the first answer).
     */
    async move(actor: Actor, { id, stageId, version }: MoveRequest, idem?: IdempotencyRef): Promise<MoveOpportunityResponse> {
      const rep = actor.role === 'rep' ? actor.userId : null;
      return runStatement(actor, idem, MOVE, [id, stageId, version, actor.teamIds, rep], () => refuseMove(actor, id, stageId));
    },
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
