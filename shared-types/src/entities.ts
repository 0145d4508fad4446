/** Domain entities as they travel over REST and Socket.IO. Ids are integers; times are ISO-8601 strings. */

export type Id = number;
export type IsoDateTime = string;

export type Role = 'rep' | 'manager' | 'admin';

export interface Tenant {
  id: Id;
  name: string;
  timeZone: string;
}

export interface Team {
  id: Id;
  tenantId: Id;
  name: string;
}

/** The signed-in user as the server sees them. `teamId` is null for a tenant admin. */
export interface User {
  id: Id;
  tenantId: Id;
  teamId: Id | null;
  name: string;
  role: Role;
}

export interface TeamMember {
  id: Id;
  name: string;
  role: Role;
}

/** A member as the members list shows it (ARCHITECTURE 9.1). */
export interface Member extends TeamMember {
  teamId: Id | null;
  active: boolean;
}

export type CustomerStatus = 'lead' | 'prospect' | 'active' | 'inactive';

export interface Customer {
  id: Id;
  teamId: Id;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  status: CustomerStatus;
  ownerId: Id | null;
  address: string | null;
  lastContactAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  version: number;
}

export interface Note {
  id: Id;
  customerId: Id;
  authorId: Id;
  authorName: string;
  content: string;
  createdAt: IsoDateTime;
}

/** Pipeline stage; `probability` is a whole percentage 0..100. */
export interface Stage {
  id: Id;
  teamId: Id;
  name: string;
  probability: number;
  position: number;
  outcome: 'open' | 'won' | 'lost';
}

/** Money is integer cents (CNY unless `currency` says otherwise). */
export interface Opportunity {
  id: Id;
  teamId: Id;
  customerId: Id;
  customerName: string;
  title: string;
  valueCents: number;
  currency: string;
  stageId: Id;
  ownerId: Id | null;
  ownerName: string | null;
  expectedCloseDate: string | null;
  closedAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  version: number;
}

export type TaskStatus = 'pending' | 'in_progress' | 'completed';
export type TaskType = 'call' | 'follow-up' | 'meeting' | 'email' | 'other';
export type TaskPriority = 'low' | 'medium' | 'high';

export interface Task {
  id: Id;
  teamId: Id;
  customerId: Id | null;
  title: string;
  description: string | null;
  type: TaskType;
  priority: TaskPriority;
  status: TaskStatus;
  dueAt: IsoDateTime | null;
  remindAt: IsoDateTime | null;
  assigneeId: Id | null;
  createdById: Id;
  completedAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  version: number;
}

export type ActivityType = 'call' | 'meeting' | 'email' | 'message' | 'note' | 'visit' | 'stage-change' | 'follow-up' | 'other';

export interface Activity {
  id: Id;
  teamId: Id;
  customerId: Id | null;
  opportunityId: Id | null;
  actorId: Id;
  actorName: string;
  type: ActivityType;
  content: string;
  occurredAt: IsoDateTime;
  createdAt: IsoDateTime;
}

export type MessageType = 'text' | 'template';

export interface Message {
  id: Id;
  teamId: Id;
  customerId: Id;
  senderId: Id;
  senderName: string;
  type: MessageType;
  content: string;
  createdAt: IsoDateTime;
}

export type CommunicationType = 'call' | 'sms' | 'wechat' | 'email';
export type CommunicationDirection = 'outbound' | 'inbound';
export type CommunicationStatus = 'initiated' | 'connected' | 'completed' | 'failed' | 'missed';

export interface Communication {
  id: Id;
  teamId: Id;
  customerId: Id;
  userId: Id;
  type: CommunicationType;
  direction: CommunicationDirection;
  status: CommunicationStatus;
  phoneNumber: string | null;
  durationSec: number | null;
  error: string | null;
  createdAt: IsoDateTime;
}

export interface FollowUp {
  id: Id;
  teamId: Id;
  customerId: Id;
  userId: Id;
  taskId: Id;
  scheduledAt: IsoDateTime;
  notes: string | null;
  createdAt: IsoDateTime;
}

export type NotificationKind = 'task-assigned' | 'task-reminder' | 'follow-up-due' | 'mention';

export interface Notification {
  id: Id;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Mini program path the notification opens, e.g. `/pages/task-detail/index?id=3`. */
  link: string | null;
  at: IsoDateTime;
  readAt: IsoDateTime | null;
}
