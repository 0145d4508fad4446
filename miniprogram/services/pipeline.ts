import type {
  Id,
  Opportunity,
  OpportunityInput,
  OpportunityPatch,
  OpportunityResponse,
  PipelineResponse,
  Stage,
} from '@live-crm/shared-types';
import { stageLabel, t } from '../i18n/index';
import { api } from './api';
import type { ApiError } from './api';
import { send } from './commands';
import { offlineQueue } from './offline-queue';
import type { Submitted } from './offline-queue';
import type { Unsubscribe } from './realtime-client';

/** REST contract section 5: the pipeline board and its opportunities. */

let stageCache: Stage[] | null = null;

export async function getPipeline(teamId?: Id): Promise<PipelineResponse> {
  const res = await api.get<PipelineResponse>('/api/crm/pipeline', teamId === undefined ? undefined : { teamId });
  stageCache = [...res.stages].sort((a, b) => a.position - b.position);
  return res;
}

/** The team's stages in order; remembered from the last pipeline load (they rarely change). */
export async function getStages(): Promise<Stage[]> {
  return stageCache ?? (await getPipeline()).stages.sort((a, b) => a.position - b.position);
}

export async function getOpportunity(id: Id): Promise<Opportunity> {
  return (await api.get<OpportunityResponse>(`/api/crm/opportunities/${id}`)).opportunity;
}

export async function createOpportunity(input: OpportunityInput): Promise<Opportunity> {
  return (await send('opportunity.create', input)).opportunity;
}

function isOpportunity(value: unknown): value is Opportunity {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Opportunity>;
  return typeof v.id === 'number' && typeof v.stageId === 'number' && typeof v.version === 'number';
}

/** The fresh record a 409 carries, if it is an opportunity. */
export function conflictOpportunity(err: ApiError): Opportunity | null {
  return err.code === 'conflict' && isOpportunity(err.current) ? err.current : null;
}

/**
 * A move that works offline too: over the socket while it is online, else REST, else queued (and
 * shown as pending) when there is no connection. A stale `version` is refused with the fresh deal.
 */
export async function saveMove(deal: Opportunity, stage: Stage): Promise<Submitted<Opportunity>> {
  const res = await offlineQueue.submit({
    command: { type: 'opportunity.move', req: { id: deal.id, stageId: stage.id, version: deal.version } },
    label: t('offline.moveLabel', { title: deal.title, stage: stageLabel(stage) }),
  });
  return res.queued ? res : { queued: false, value: res.value.opportunity };
}

/** An edit that works offline too (see saveMove). */
export async function saveOpportunity(id: Id, patch: OpportunityPatch, title: string): Promise<Submitted<Opportunity>> {
  const res = await offlineQueue.submit({
    command: { type: 'opportunity.update', req: { ...patch, id } },
    label: t('offline.editLabel', { title }),
  });
  return res.queued ? res : { queued: false, value: res.value.opportunity };
}

/** A queued deal change reaching the server: applied (the saved deal) or refused (the 409's fresh record, if any). */
export type DealSync = { kind: 'applied'; opportunity: Opportunity } | { kind: 'refused'; id: Id; current: Opportunity | null };

export function onDealSync(handler: (sync: DealSync) => void): Unsubscribe {
  return offlineQueue.onSettled(['opportunity.move', 'opportunity.update'], (s) => {
    if (s.kind === 'refused') handler({ kind: 'refused', id: s.req.id, current: conflictOpportunity(s.error) });
    else handler({ kind: 'applied', opportunity: s.result.opportunity });
  });
}

/** Moves still waiting for a connection: deal id -> the stage chosen last. */
export function queuedMoves(): Map<Id, Id> {
  const moves = new Map<Id, Id>();
  for (const { command } of offlineQueue.pending()) {
    if (command.type === 'opportunity.move') moves.set(command.req.id, command.req.stageId);
  }
  return moves;
}
