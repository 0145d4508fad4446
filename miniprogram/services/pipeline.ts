import type {
  Id, MoveOpportunityResponse, Opportunity, OpportunityInput, OpportunityPatch, OpportunityResponse,
  PipelineResponse, Stage,
} from '@live-crm/shared-types';
import { api } from './api';
import type { ApiError } from './api';

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
