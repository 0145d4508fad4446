import type {
  Id, MoveOpportunityResponse, Opportunity, OpportunityInput, OpportunityPatch, OpportunityResponse,
  PipelineResponse, Stage,
} from '@live-crm/shared-types';
import { stageLabel, t } from '../i18n/index';
import { api } from './api';
import type { ApiError } from './api';
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
  return (await api.post<OpportunityResponse>('/api/crm/opportunities', input)).opportunity;
}

export async function updateOpportunity(id: Id, patch: OpportunityPatch): Promise<Opportunity> {
  return (await api.patch<OpportunityResponse>(`/api/crm/opportunities/${id}`, patch)).opportunity;
}

/** Stale `version` answers 409 with `current`; see conflictOpportunity. */
export async function moveOpportunity(id: Id, stageId: Id, version: number): Promise<Opportunity> {
  return (await api.put<MoveOpportunityResponse>(`/api/crm/opportunities/${id}/move`, { stageId, version })).opportunity;
}

export function isOpportunity(value: unknown): value is Opportunity {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Opportunity>;
  return typeof v.id === 'number' && typeof v.stageId === 'number' && typeof v.version === 'number';
}

/** The fresh record a 409 carries, if it is an opportunity. */
export function conflictOpportunity(err: ApiError): Opportunity | null {
  return err.status === 409 && isOpportunity(err.current) ? err.current : null;
}

/** A move that works offline too: queued (and shown as pending) when there is no connection. */
export async function saveMove(deal: Opportunity, stage: Stage): Promise<Submitted<Opportunity>> {
  const res = await offlineQueue.submit<MoveOpportunityResponse>({
    method: 'PUT', path: `/api/crm/opportunities/${deal.id}/move`, body: { stageId: stage.id, version: deal.version },
    label: t('offline.moveLabel', { title: deal.title, stage: stageLabel(stage) }),
  });
  return res.queued ? res : { queued: false, value: res.value.opportunity };
}

/** An edit that works offline too (see saveMove). */
export async function saveOpportunity(id: Id, patch: OpportunityPatch, title: string): Promise<Submitted<Opportunity>> {
  const res = await offlineQueue.submit<OpportunityResponse>({
    method: 'PATCH', path: `/api/crm/opportunities/${id}`, body: { ...patch },
    label: t('offline.editLabel', { title }),
  });
  return res.queued ? res : { queued: false, value: res.value.opportunity };
}

const DEAL_PATH = /^\/api\/crm\/opportunities\/(\d+)(\/move)?$/;

/** A queued deal change reaching the server: applied (the saved deal) or refused (the 409's fresh record, if any). */
export type DealSync = { kind: 'applied'; opportunity: Opportunity } | { kind: 'refused'; id: Id; current: Opportunity | null };

export function onDealSync(handler: (sync: DealSync) => void): Unsubscribe {
  return offlineQueue.subscribe((e) => {
    const match = DEAL_PATH.exec(e.item.path);
    if (!match || e.kind === 'queued') return;
    if (e.kind === 'refused') { handler({ kind: 'refused', id: Number(match[1]), current: conflictOpportunity(e.error) }); return; }
    const saved = (e.result as { opportunity?: unknown } | null)?.opportunity;
    if (isOpportunity(saved)) handler({ kind: 'applied', opportunity: saved });
  });
}

/** Moves still waiting for a connection: deal id -> the stage chosen last. */
export function queuedMoves(): Map<Id, Id> {
  const moves = new Map<Id, Id>();
  for (const item of offlineQueue.pending()) {
    const match = DEAL_PATH.exec(item.path);
    const stageId = item.body?.['stageId'];
    if (match?.[2] && typeof stageId === 'number') moves.set(Number(match[1]), stageId);
  }
  return moves;
}
