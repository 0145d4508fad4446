import type {
  Activity, ActivityType, Communication, CommunicationDirection, CommunicationStatus, CommunicationType,
  Customer, CustomerStatus, FollowUp, Id, Message, MessageType, Note, Notification, Opportunity, Stage,
  Task, TaskPriority, TaskStatus, TaskType, TeamMember, User,
} from './entities.js';
import type { AnyTeamEvent } from './events.js';

// Auth
export interface DevLoginRequest { login: string }
export interface WechatLoginRequest { code: string }
export interface LoginResponse { token: string; user: User }
export interface DevLoginsResponse { logins: Array<{ login: string; name: string; role: User['role']; team: string | null; tenant: string }> }
export interface MeResponse { user: User; members: TeamMember[] }

// Customers
export type CustomerSort = 'lastContact' | 'name' | 'createdAt';
export interface CustomerListQuery {
  page?: number;
  limit?: number;
  keyword?: string;
  status?: CustomerStatus | 'all';
  sortBy?: CustomerSort;
}
export interface CustomerListResponse { customers: Customer[]; hasMore: boolean; total: number }
export interface CustomerInput {
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  status?: CustomerStatus;
  address?: string | null;
}
export type CustomerPatch = Partial<CustomerInput> & { version: number };
export interface CustomerResponse { customer: Customer }
export interface NoteInput { content: string }
export interface NotesResponse { notes: Note[] }
export interface NoteResponse { note: Note }
export interface ActivitiesResponse { activities: Activity[] }
export interface MessagesResponse { messages: Message[] }
export interface CommunicationsResponse { communications: Communication[] }

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
export interface OpportunityResponse { opportunity: Opportunity }
export interface MoveOpportunityRequest { stageId: Id; version: number }
export interface MoveOpportunityResponse { success: true; opportunity: Opportunity }

// Tasks
export type TaskView = 'today' | 'overdue' | 'upcoming' | 'all';
export interface TaskListQuery {
  view?: TaskView;
  days?: number;
  status?: TaskStatus;
  assigneeId?: Id;
  customerId?: Id;
}
export interface TasksResponse { tasks: Task[] }
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
export interface AssignTaskRequest { assigneeId: Id }
export interface TaskMutationResponse { success: true; task: Task }

// Communication hub
export interface ActivityInput { customerId: Id; type: ActivityType; content: string; opportunityId?: Id | null; occurredAt?: string }
export interface ActivityResponse { activity: Activity }
export interface MessageInput { customerId: Id; message: string; type?: MessageType }
export interface MessageResponse { success: true; message: Message }
export interface CommunicationInput {
  customerId: Id;
  type: CommunicationType;
  direction: CommunicationDirection;
  status: CommunicationStatus;
  phoneNumber?: string | null;
  durationSec?: number | null;
  error?: string | null;
}
export interface CommunicationResponse { communication: Communication }
export interface FollowUpInput { customerId: Id; scheduledDate: string; notes?: string | null }
export interface FollowUpResponse { success: true; followUp: FollowUp; task: Task }

// Notifications and feed
export interface NotificationsResponse { notifications: Notification[]; unread: number }
export interface MarkReadRequest { ids?: Id[] }
export interface SubscriptionConsentRequest { templateId: string; accepted: boolean }
export interface TeamFeedResponse { events: AnyTeamEvent[] }

// Analytics, reports, export
export type AnalyticsPeriod = '7d' | '30d' | '90d' | '365d';
export interface MetricWithTrend { current: number; previous: number }
export interface SalesMetrics {
  wonValueCents: MetricWithTrend;
  wonCount: MetricWithTrend;
  conversionRate: MetricWithTrend;
  averageDealCents: MetricWithTrend;
  averageCycleDays: MetricWithTrend;
  newPipelineCents: MetricWithTrend;
}
export interface SalesAnalyticsResponse { metrics: SalesMetrics }
export type ExportType = 'customers' | 'opportunities' | 'tasks' | 'activities';
export interface ExportRequest { type: ExportType; filters?: Record<string, string | number | boolean> }
export interface ExportResponse { success: true; downloadUrl: string }
