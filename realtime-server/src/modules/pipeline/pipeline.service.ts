import { QueryTypes, type Transaction } from 'sequelize';
import type { Database, OpportunityModel } from '@live-crm/models';
import type {
  MoveOpportunityResponse, Opportunity, OpportunityInput, OpportunityPatch, PipelineResponse,
} from '@live-crm/shared-types';
import { assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/app-error.js';
import type { IdempotencyRef, MutationRunner } from '../../core/mutation.js';

export interface PipelineServiceDeps { db: Database; mutate: MutationRunner }

/**
 * A move in one round trip: the row lock, version check, team access and stage check in one
 * UPDATE; `prev` is the row as it was (for fromStageId); customer and owner names for the DTO.
 */
const MOVE_SQL = `
  WITH moved AS (
    UPDATE opportunities o
       SET stage_id = s.id, version = o.version + 1, updated_at = now(),
           closed_at = CASE WHEN s.outcome = 'open' THEN NULL ELSE COALESCE(o.closed_at, now()) END
      FROM opportunities prev, stages s
     WHERE o.id = :id AND prev.id = o.id AND o.version = :version
       AND o.team_id = ANY(ARRAY[:teamIds]::int[]) AND s.id = :stageId AND s.team_id = o.team_id
    RETURNING o.*, prev.stage_id AS from_stage_id
  )
  SELECT moved.*, c.name AS customer_name, u.name AS owner_name
    FROM moved JOIN customers c ON c.id = moved.customer_id LEFT JOIN users u ON u.id = moved.owner_id`;

/** The columns MOVE_SQL returns beside the opportunity's own. */
interface MovedExtras { from_stage_id: number; customer_name: string; owner_name: string | null }

/** The only writer of opportunities. */
export function createPipelineService({ db, mutate }: PipelineServiceDeps) {
  const { Opportunity, Stage, Customer, User } = db.models;
  const include = [
    { model: Customer, as: 'customer', attributes: ['id', 'name'] },
    { model: User, as: 'owner', attributes: ['id', 'name'] },
  ];

  async function load(id: number, tx?: Transaction): Promise<OpportunityModel | null> {
    return Opportunity.findByPk(id, { include, transaction: tx ?? null });
  }

  async function loadFor(actor: Actor, id: number, tx?: Transaction): Promise<OpportunityModel> {
    const opp = await load(id, tx);
    if (!opp) throw notFound('Opportunity');
    assertTeamAccess(actor, opp.teamId, 'Opportunity');
    return opp;
  }

  async function stageOf(teamId: number, stageId: number, tx?: Transaction) {
    const stage = await Stage.findOne({ where: { id: stageId, teamId }, transaction: tx ?? null });
    if (!stage) throw new AppError('validation', 'That stage does not belong to this pipeline', { details: { fields: [{ path: 'stageId', message: 'unknown stage' }] } });
    return stage;
  }

  /** Why a move matched no row, in the order the checks always ran: 404, then 400, then 409. */
  async function refuseMove(actor: Actor, id: number, stageId: number, tx: Transaction): Promise<never> {
    const opp = await loadFor(actor, id, tx);
    await stageOf(opp.teamId, stageId, tx);
    return stale(id, tx);
  }

  async function stale(id: number, tx: Transaction): Promise<never> {
    const current = await load(id, tx);
    if (!current) throw notFound('Opportunity');
    throw new AppError('conflict', 'Someone changed this deal first; here is the latest version', { current: current.toDto() });
  }

  return {
    async getPipeline(actor: Actor, requestedTeamId?: number): Promise<PipelineResponse> {
      const teamId = resolveTeam(actor, requestedTeamId);
      const [stages, opportunities] = await Promise.all([
        Stage.findAll({ where: { teamId }, order: [['position', 'ASC']] }),
        Opportunity.findAll({ where: { teamId }, include, order: [['updatedAt', 'DESC'], ['id', 'DESC']] }),
      ]);
      const open = new Map(stages.filter((s) => s.outcome === 'open').map((s) => [s.id, s.probability]));
      let totalValue = 0;
      let weighted = 0;
      for (const o of opportunities) {
        const p = open.get(o.stageId);
        if (p === undefined) continue;
        totalValue += o.valueCents;
        weighted += o.valueCents * p;
      }
      return {
        stages: stages.map((s) => s.toDto()),
        opportunities: opportunities.map((o) => o.toDto()),
        totalValue,
        weightedValue: Math.round(weighted / 100),
      };
    },

    async get(actor: Actor, id: number): Promise<Opportunity> {
      return (await loadFor(actor, id)).toDto();
    },

    async create(actor: Actor, input: OpportunityInput & { teamId?: number }, idem?: IdempotencyRef): Promise<Opportunity> {
      return mutate(actor, idem, async (tx) => {
        const customer = await Customer.findByPk(input.customerId, { transaction: tx });
        if (!customer) throw notFound('Customer');
        assertTeamAccess(actor, customer.teamId, 'Customer');
        const teamId = customer.teamId;
        const stage = input.stageId !== undefined
          ? await stageOf(teamId, input.stageId, tx)
          : await Stage.findOne({ where: { teamId }, order: [['position', 'ASC']], transaction: tx });
        if (!stage) throw new AppError('validation', 'This team has no pipeline stages');
        const row = await Opportunity.create({
          tenantId: actor.tenantId, teamId, customerId: customer.id, title: input.title,
          valueCents: input.valueCents, stageId: stage.id, ownerId: actor.userId,
          expectedCloseDate: input.expectedCloseDate ?? null,
          closedAt: stage.outcome === 'open' ? null : new Date(),
        }, { transaction: tx });
        const opportunity = (await load(row.id, tx))!.toDto();
        return { result: opportunity, fact: { teamId, type: 'opportunity:created', data: { opportunity } } };
      });
    },

    async update(actor: Actor, id: number, patch: OpportunityPatch, idem?: IdempotencyRef): Promise<Opportunity> {
      const { version, ...fields } = patch;
      return mutate(actor, idem, async (tx) => {
        const opp = await loadFor(actor, id, tx);
        const [count] = await Opportunity.update(
          { ...fields, version: opp.version + 1 },
          { where: { id, version }, transaction: tx },
        );
        if (count === 0) return stale(id, tx);
        const opportunity = (await load(id, tx))!.toDto();
        return { result: opportunity, fact: { teamId: opp.teamId, type: 'opportunity:updated', data: { opportunity } } };
      });
    },

    /**
     * Of many moves at one version exactly one wins; the rest get 409 with the fresh deal. The hot
     * path is one statement (access, stage and version checked in its WHERE, the DTO's names joined
     * in); only a refused move pays for the lookups that say why.
     */
    async move(actor: Actor, id: number, stageId: number, version: number, idem?: IdempotencyRef): Promise<MoveOpportunityResponse> {
      return mutate(actor, idem, async (tx) => {
        const [row] = await db.sequelize.query<OpportunityModel>(MOVE_SQL, {
          replacements: { id, stageId, version, teamIds: actor.teamIds }, transaction: tx,
          type: QueryTypes.SELECT, model: Opportunity, mapToModel: true,
        });
        if (!row) return refuseMove(actor, id, stageId, tx);
        const extra = row.get({ plain: true }) as unknown as MovedExtras;
        // Stand-ins for the usual include: toDto reads the customer's and owner's names only.
        Object.assign(row, { customer: { name: extra.customer_name }, owner: extra.owner_name === null ? null : { name: extra.owner_name } });
        const opportunity = row.toDto();
        return {
          result: { success: true as const, opportunity },
          fact: { teamId: opportunity.teamId, type: 'opportunity:moved', data: { opportunity, fromStageId: extra.from_stage_id, toStageId: stageId } },
        };
      });
    },
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
