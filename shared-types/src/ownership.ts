import type { Customer, Id, IsoDateTime, Opportunity } from './entities.js';

/** Who sees what (ARCHITECTURE 9.2): `team` shares every record, `owner` keeps reps to their own and the pool. */
export type Visibility = 'team' | 'owner';

/** A team's pool rules; a null number means "no limit" (recycle: never). */
export interface TeamSettings {
  teamId: Id;
  visibility: Visibility;
  recycleAfterDays: number | null;
  claimLimitPerDay: number | null;
  holdLimit: number | null;
  version: number;
}
export interface TeamSettingsResponse {
  settings: TeamSettings;
}
/** PATCH `/api/crm/team/settings`: any of the fields; `teamId` is for admins (default: their first team). */
export interface TeamSettingsPatch {
  visibility?: Visibility;
  recycleAfterDays?: number | null;
  claimLimitPerDay?: number | null;
  holdLimit?: number | null;
  teamId?: Id;
}

/** GET `/api/crm/customers` `scope`: what the caller may see, their own, or the pool. */
export type CustomerScope = 'all' | 'mine' | 'pool';

export interface ReleaseCustomerRequest {
  reason: string;
}
export interface AssignOwnerRequest {
  ownerId: Id;
}
export interface OwnerCustomerResponse {
  customer: Customer;
}
export interface OwnerOpportunityResponse {
  opportunity: Opportunity;
}

/** PUT `/api/crm/targets` (ARCHITECTURE 9.4). */
export interface TargetRequest {
  userId: Id;
  /** YYYY-MM */
  month: string;
  wonValueCents: number;
}
export interface Target extends TargetRequest {
  teamId: Id;
  updatedAt: IsoDateTime;
}
export interface TargetResponse {
  target: Target;
}

/** One rep's month: value and count of deals won (closed in the month in the tenant's time zone). */
export interface LeaderboardRow {
  userId: Id;
  name: string;
  wonValueCents: number;
  /** 0 when no target is set. */
  targetCents: number;
  /** won / target as a fraction (4 decimals); null without a target. */
  completion: number | null;
  wonCount: number;
  activityCount: number;
}
export interface LeaderboardResponse {
  month: string;
  teamId: Id;
  rows: LeaderboardRow[];
}

/** What a phone that may not see an event gets instead, so its stream stays gap-free. */
export interface RedactedEvent {
  seq: number;
  eventId: string;
  teamId: Id;
  type: 'redacted';
  at: IsoDateTime;
}

/** Transient (no seq): a teammate is claiming a pool customer right now (正在被领取). */
export interface ClaimingNotice {
  customerId: Id;
  userId: Id;
  name: string;
}
