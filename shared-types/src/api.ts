import type { CustomerScope } from './ownership.js';
import type {
  Activity,
  ActivityLocation,
  Attachment,
  Contact,
  ContactRole,
  ActivityType,
  Communication,
  CommunicationDirection,
  CommunicationStatus,
  CommunicationType,
  Customer,
  CustomerStatus,
  FollowUp,
  Id,
  Invitation,
  InvitedRole,
  Member,
  Message,
  MessageType,
  Note,
  Notification,
  Opportunity,
  Stage,
  Task,
  TaskPriority,
  TaskStatus,
  TaskType,
  Team,
  TeamMember,
  User,
} from './entities.js';
import type { AnyTeamEvent } from './events.js';
import type { IsoDateTime } from './entities.js';

// Auth
export interface DevLoginRequest {
  login: string;
}
export interface WechatLoginRequest {
  code: string;
}
export interface LoginResponse {
  token: string;
  user: User;
}
export interface DevLoginsResponse {
  logins: Array<{ login: string; name: string; role: User['role']; team: string | null; tenant: string }>;
}
/** `wxCode` from wx.login goes through code2Session; `name` is how the team will see the new member. */
export interface JoinRequest {
  code: string;
  wxCode: string;
  name: string;
}
/** 201 for a new member; 200 (nothing used up) when the WeChat account already belongs to the tenant. */
export type JoinResponse = LoginResponse;
export interface MeResponse {
  user: User;
  members: TeamMember[];
}

// Customers
export type CustomerSort = 'lastContact' | 'name' | 'createdAt';
export interface CustomerListQuery {
  page?: number;
  limit?: number;
  keyword?: string;
  status?: CustomerStatus | 'all';
  sortBy?: CustomerSort;
  /** The previous answer's `nextCursor`: continue after its last row (wins over `page`). */
  cursor?: string;
  /** Admins only: one team of their tenant (default: every team). */
  teamId?: Id;
  /** ARCHITECTURE 9.2: `all` (what the caller may see, the default), `mine`, or `pool` (公海). */
  scope?: CustomerScope;
}
/**
 * Orders (each with the id tie-breaker): `lastContact` most recent first, never contacted last;
 * `name` A-Z; `createdAt` in the order customers were added. In `lastContact` and `createdAt` a new
 * customer sorts after every existing one, so `page` N stays put while teammates add customers;
 * following `nextCursor` also survives inserts in `name` order and customers moving up on a contact.
 */
export interface CustomerListResponse {
  customers: Customer[];
  hasMore: boolean;
  /** The filtered count, counted up to 10,000 (200 with a keyword). */
  total: number;
  /** More rows match than `total` says: show it as "10,000+". */
  totalCapped: boolean;
  nextCursor?: string | null;
}
export interface CustomerInput {
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  status?: CustomerStatus;
  address?: string | null;
}
export type CustomerPatch = Partial<CustomerInput> & { version: number };
export interface CustomerResponse {
  customer: Customer;
}
export interface NoteInput {
  content: string;
}
export interface NotesResponse {
  notes: Note[];
}
export interface NoteResponse {
  note: Note;
}
export interface ActivitiesResponse {
  activities: Activity[];
}
export interface MessagesResponse {
  messages: Message[];
}
export interface CommunicationsResponse {
  communications: Communication[];
}

// Pipeline
export interface PipelineResponse {
  stages: Stage[];
  opportunities: Opportunity[];
  /** cents, open deals */
  totalValue: number;
  /** cents: sum of value x probability / 100 over open deals */
  weightedValue: number;
}
export interface OpportunityInput {
  customerId: Id;
  title: string;
  valueCents: number;
  stageId?: Id;
  expectedCloseDate?: string | null;
}
export type OpportunityPatch = Partial<Omit<OpportunityInput, 'customerId' | 'stageId'>> & { version: number };
export interface OpportunityResponse {
  opportunity: Opportunity;
}
export interface MoveOpportunityRequest {
  stageId: Id;
  version: number;
}
export interface MoveOpportunityResponse {
  success: true;
  opportunity: Opportunity;
}

// Tasks
export type TaskView = 'today' | 'overdue' | 'upcoming' | 'all';
export interface TaskListQuery {
  view?: TaskView;
  days?: number;
  status?: TaskStatus;
  assigneeId?: Id;
  customerId?: Id;
}
export interface TasksResponse {
  tasks: Task[];
}
export interface TaskInput {
  title: string;
  description?: string | null;
  type?: TaskType;
  priority?: TaskPriority;
  customerId?: Id | null;
  dueAt?: string | null;
  remindAt?: string | null;
  assigneeId?: Id | null;
}
export type TaskUpdate = Partial<TaskInput> & { status?: TaskStatus; version: number };
export interface AssignTaskRequest {
  assigneeId: Id;
}
export interface TaskMutationResponse {
  success: true;
  task: Task;
}

// Communication hub
/** What a rep may log (ARCHITECTURE 9.3); `stage-change` is written by a move only. */
export type LoggableActivityType = Extract<ActivityType, 'call' | 'visit' | 'wechat' | 'email' | 'meeting' | 'note' | 'other'>;
export interface ActivityInput {
  customerId: Id;
  type: LoggableActivityType;
  content: string;
  opportunityId?: Id | null;
  contactId?: Id | null;
  /** Photos this user uploaded and no record holds yet; at most 9. */
  attachmentIds?: Id[];
  /** Required for a `visit`. */
  location?: ActivityLocation | null;
  /** Creates the author's follow-up task (reminder 30 min before) in the same transaction. */
  nextFollowUpAt?: string | null;
  /** Users to notify; each must be able to see the customer. */
  mentions?: Id[];
  occurredAt?: string;
}
export interface ActivityResponse {
  activity: Activity;
  /** The follow-up task `nextFollowUpAt` created. */
  task?: Task;
}
export interface AttachmentResponse {
  attachment: Attachment;
}

// Contacts and visits
export interface ContactInput {
  name: string;
  title?: string | null;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  role?: ContactRole;
  primary?: boolean;
}
export type ContactPatch = Partial<ContactInput> & { version: number };
export interface ContactResponse {
  contact: Contact;
}
export interface ContactsResponse {
  contacts: Contact[];
}
export interface VisitsQuery {
  from?: string;
  to?: string;
  userId?: Id;
}
export interface VisitsResponse {
  visits: Activity[];
}
export interface MessageInput {
  customerId: Id;
  message: string;
  type?: MessageType;
}
export interface MessageResponse {
  success: true;
  message: Message;
}
export interface CommunicationInput {
  customerId: Id;
  type: CommunicationType;
  direction: CommunicationDirection;
  status: CommunicationStatus;
  phoneNumber?: string | null;
  durationSec?: number | null;
  error?: string | null;
}
export interface CommunicationResponse {
  communication: Communication;
}
export interface FollowUpInput {
  customerId: Id;
  scheduledDate: string;
  notes?: string | null;
}
export interface FollowUpResponse {
  success: true;
  followUp: FollowUp;
  task: Task;
}

// Notifications and feed
export interface NotificationsResponse {
  notifications: Notification[];
  unread: number;
}
export interface MarkReadRequest {
  ids?: Id[];
}
export interface SubscriptionConsentRequest {
  templateId: string;
  accepted: boolean;
}
/** Consents left for the template after recording this answer. */
export interface SubscriptionConsentResponse {
  templateId: string;
  accepted: boolean;
  remaining: number;
}
/**
 * GET /api/crm/notifications/subscriptions: the task reminder template to ask consent for with
 * `wx.requestSubscribeMessage` (null when the server cannot send WeChat messages) and the caller's consents left.
 */
export interface SubscriptionStatusResponse {
  templateId: string | null;
  remaining: number;
}
export interface TaskResponse {
  task: Task;
}
/** `teamId`: the team shown (an admin's first team unless the query names one), to follow live. */
export interface TeamFeedResponse {
  events: AnyTeamEvent[];
  teamId: Id;
}

// Analytics, reports, export
export type AnalyticsPeriod = '7d' | '30d' | '90d' | '365d';
export interface MetricWithTrend {
  current: number;
  previous: number;
}
export interface SalesMetrics {
  wonValueCents: MetricWithTrend;
  wonCount: MetricWithTrend;
  /** won / (won + lost) closed in the period, a fraction 0..1 (4 decimals); 0 when nothing closed. */
  conversionRate: MetricWithTrend;
  averageDealCents: MetricWithTrend;
  /** Days from created to closed over the deals won in the period, 1 decimal. */
  averageCycleDays: MetricWithTrend;
  newPipelineCents: MetricWithTrend;
}
/** `window` says which local days each side of the trend covers. */
export interface SalesAnalyticsResponse {
  metrics: SalesMetrics;
  window: AnalyticsWindow;
}
export type ExportType = 'customers' | 'opportunities' | 'tasks' | 'activities';
/**
 * Filters by type (unknown keys are a 400): customers `status, keyword, ownerId, createdFrom, createdTo`;
 * opportunities `stageId, outcome, ownerId, createdFrom, createdTo`; tasks `status, assigneeId, dueFrom, dueTo`;
 * activities `type, actorId, from, to`. Dates are YYYY-MM-DD in the tenant time zone, `to` inclusive.
 * Every type takes `teamId` (admins only; others always export their own team). `locale` picks header language.
 */
export interface ExportRequest {
  type: ExportType;
  filters?: Record<string, string | number | boolean>;
  locale?: 'zh-CN' | 'en';
}
export interface ExportResponse {
  success: true;
  downloadUrl: string;
}

/** One side of a trend: the local days [firstDay, lastDay] of the tenant, as absolute [from, to). */
export interface AnalyticsRange {
  from: IsoDateTime;
  to: IsoDateTime;
  firstDay: string;
  lastDay: string;
}
export interface AnalyticsWindow {
  period: AnalyticsPeriod;
  timeZone: string;
  /** Teams the numbers cover: the caller's team, or for an admin the picked team or the whole tenant. */
  teamIds: Id[];
  current: AnalyticsRange;
  previous: AnalyticsRange;
}
export interface AnalyticsQuery {
  period?: AnalyticsPeriod;
  teamId?: Id;
}
export interface DayCount {
  date: string;
  count: number;
}

/** Current deals per stage; stages of several teams with the same name and place are merged. */
export interface StageStat {
  stageIds: Id[];
  key: Stage['key'];
  name: string;
  position: number;
  outcome: Stage['outcome'];
  probability: number;
  count: number;
  valueCents: number;
  weightedCents: number;
}
/** Moves recorded in the period (`opportunity:moved` facts); `share` of all moves out of `from`. */
export interface StageTransition {
  from: string;
  fromKey: Stage['key'];
  fromPosition: number;
  to: string;
  toKey: Stage['key'];
  toPosition: number;
  count: number;
  share: number;
}
/** Per stage: moves out, moves forward to a later stage that is not lost, and advances / exits. */
export interface StageConversion {
  key: Stage['key'];
  name: string;
  position: number;
  exits: number;
  advances: number;
  rate: number;
}
export interface RottingDeal {
  id: Id;
  teamId: Id;
  title: string;
  customerName: string;
  ownerId: Id | null;
  ownerName: string | null;
  stageKey: Stage['key'];
  stageName: string;
  valueCents: number;
  /** The later of the latest activity on the deal or its customer and the deal's last change. */
  lastActivityAt: IsoDateTime;
  idleDays: number;
}
export interface PipelineAnalytics {
  stages: StageStat[];
  transitions: StageTransition[];
  conversion: StageConversion[];
  /** Moves are counted from here: the period's start, or the event log's retention horizon when later. */
  movesFrom: IsoDateTime;
  openValueCents: number;
  weightedValueCents: number;
  rottingDays: number;
  rottingCount: number;
  /** The idlest open deals first, at most 50. */
  rotting: RottingDeal[];
}
export interface PipelineAnalyticsQuery extends AnalyticsQuery {
  rottingDays?: number;
}
export interface PipelineAnalyticsResponse {
  analytics: PipelineAnalytics;
  window: AnalyticsWindow;
}

export interface CustomerAnalytics {
  total: number;
  newCustomers: MetricWithTrend;
  byStatus: Array<{ status: CustomerStatus; count: number }>;
  /** Customers with a contact (last contact time or an activity) in the current period, and the rest. */
  contacted: number;
  notContacted: number;
  newPerDay: DayCount[];
}
export interface CustomerAnalyticsResponse {
  analytics: CustomerAnalytics;
  window: AnalyticsWindow;
}

export interface ActivityAnalytics {
  total: MetricWithTrend;
  byType: Array<{ type: ActivityType; count: number }>;
  /** Every member of the covered teams, zero included, busiest first. */
  byRep: Array<{ userId: Id; name: string; count: number }>;
  perDay: DayCount[];
  /** Non-zero (day, type) pairs of the current period, by day then type: a stacked chart's segments. */
  perDayByType: Array<{ date: string; type: ActivityType; count: number }>;
}
export interface ActivityAnalyticsResponse {
  analytics: ActivityAnalytics;
  window: AnalyticsWindow;
}
/** `GET /api/crm/analytics/teams`: the teams the caller's dashboard can show (an admin: every team of the tenant). */
export interface AnalyticsTeamsResponse {
  teams: Array<Pick<Team, 'id' | 'name'>>;
}

// Reports
export type ReportType = 'weekly-team';
export interface ReportRequest {
  type: ReportType;
  parameters?: { weekStart?: string; teamId?: Id };
}
export interface WeeklyReportCounts {
  calls: number;
  meetings: number;
  dealsMoved: number;
  wonValueCents: number;
  tasksCompleted: number;
  /** Open tasks already due at the end of the week (or now, for the running week). */
  tasksOverdue: number;
}
export interface WeeklyReportRow extends WeeklyReportCounts {
  userId: Id;
  name: string;
  role: User['role'];
}
export interface WeeklyTeamReport {
  type: 'weekly-team';
  teamIds: Id[];
  timeZone: string;
  /** Monday of the week and the following Monday, local dates; from/to are the absolute bounds. */
  weekStart: string;
  weekEnd: string;
  from: IsoDateTime;
  to: IsoDateTime;
  generatedAt: IsoDateTime;
  rows: WeeklyReportRow[];
  totals: WeeklyReportCounts;
}
export interface ReportResponse {
  report: WeeklyTeamReport;
}

// Members and invitations (ARCHITECTURE 9.1)
export interface InvitationInput {
  /** Admins: any team of the tenant; a manager's own team is the only one they may name. */
  teamId?: Id;
  role: InvitedRole;
  /** 1..168, default 72. */
  expiresInHours?: number;
  /** 1..50, default 1. */
  maxUses?: number;
}
export interface InvitationCreatedResponse {
  invitation: Invitation;
  /** The mini program page that joins (`pages/join/index?code=...`): what onShareAppMessage shares. */
  path: string;
}
export interface InvitationsQuery {
  /** Admins only: one team of their tenant (default: every team). */
  teamId?: Id;
}
export interface InvitationsResponse {
  invitations: Invitation[];
}
export interface InvitationResponse {
  invitation: Invitation;
}
export interface MembersQuery {
  /** Admins only: one team of their tenant (default: their first team). */
  teamId?: Id;
}
export interface MembersResponse {
  members: Member[];
  /** Addition to 9.1: the team shown (an admin's first team by default). */
  teamId: Id;
}
export interface DeactivateMemberRequest {
  /** An active member of the leaver's team, who takes over their customers, open deals and open tasks. */
  handoverTo: Id;
}
/** Addition to 9.1: the member as it now stands and how many records passed to `handoverTo`. */
export interface DeactivateMemberResponse {
  member: Member;
  handedOver: { customers: number; opportunities: number; tasks: number };
}
