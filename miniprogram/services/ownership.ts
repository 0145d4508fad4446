import type {
  Customer,
  Id,
  LeaderboardResponse,
  Opportunity,
  Target,
  TargetRequest,
  TeamSettings,
  TeamSettingsPatch,
  TeamSettingsResponse,
} from '@live-crm/shared-types';
import { api } from './api';
import { send } from './commands';
import { realtime } from './realtime';

/** ARCHITECTURE 9.2 and 9.4: the pool, owners, the team's rules, targets and the leaderboard. */

export async function claimCustomer(id: Id): Promise<Customer> {
  // Teammates' pool pages show 正在被领取 meanwhile; the claim decides whatever the hint did.
  if (realtime.status() === 'online') realtime.command('customer:claim-started', { customerId: id }).catch(() => undefined);
  return (await send('customer.claim', { id })).customer;
}

export async function releaseCustomer(id: Id, reason: string): Promise<Customer> {
  return (await send('customer.release', { id, reason })).customer;
}

export async function reassignCustomer(id: Id, ownerId: Id): Promise<Customer> {
  return (await send('customer.reassign', { id, ownerId })).customer;
}

export async function reassignOpportunity(id: Id, ownerId: Id): Promise<Opportunity> {
  return (await send('opportunity.reassign', { id, ownerId })).opportunity;
}

export async function getTeamSettings(): Promise<TeamSettings> {
  return (await api.get<TeamSettingsResponse>('/api/crm/team/settings')).settings;
}

export async function saveTeamSettings(patch: TeamSettingsPatch): Promise<TeamSettings> {
  return (await send('team.settings', patch)).settings;
}

export async function setTarget(req: TargetRequest): Promise<Target> {
  return (await send('target.set', req)).target;
}

export function getLeaderboard(month?: string): Promise<LeaderboardResponse> {
  return api.get<LeaderboardResponse>('/api/crm/analytics/leaderboard', month ? { month } : undefined);
}
