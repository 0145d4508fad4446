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

/** Which roles an invitation may carry: a manager invites reps, an admin reps or managers. */
export type InvitedRole = Exclude<Role, 'admin'>;

/** A way into a team (ARCHITECTURE 9.1): its `code` is unguessable and travels in the join path. */
export interface Invitation {
  id: Id;
  code: string;
  teamId: Id;
  role: InvitedRole;
  expiresAt: IsoDateTime;
  maxUses: number;
  uses: number;
  /** Additions to 9.1: set once revoked; when it was made and by whom. */
  revokedAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  createdById: Id;
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

/** The default stages every team starts with; the phone names them in its own language. */
export type StageKey = 'lead' | 'qualified' | 'proposal' | 'negotiation' | 'won' | 'lost';

/**
 * Pipeline stage; `probability` is a whole percentage 0..100. `key` marks a default stage the phone
 * names from its language tables; null for a custom stage, which shows `name` as stored.
 */
export interface Stage {
  id: Id;
  teamId: Id;
  key: StageKey | null;
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

/** Titles the server writes for a task (`follow-up`: the task POST /api/crm/follow-ups creates). */
export type TaskTitleKey = 'follow-up';
/** What a server-written title names; `customer` as it was named when the task was created. */
export interface TaskTitleParams {
  customer: string;
}

/**
 * `title` is shown as typed unless `titleKey` says the server wrote it: then the phone renders the
 * key with `titleParams` in its language, and `title` holds that text in Chinese for the places the
 * server writes itself (exports, WeChat messages). Editing the title clears the key.
 */
export interface Task {
  id: Id;
  teamId: Id;
  customerId: Id | null;
  title: string;
  titleKey: TaskTitleKey | null;
  titleParams: TaskTitleParams | null;
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

/**
 * What a rep logs (`call | visit | wechat | email | meeting | note | other`, ARCHITECTURE 9.3), what
 * a move writes (`stage-change`), and two kinds older rows still carry (`message`, `follow-up`).
 */
export type ActivityType = 'call' | 'visit' | 'wechat' | 'email' | 'meeting' | 'note' | 'other' | 'message' | 'stage-change' | 'follow-up';

/** Where a visit (or any record) was made, as `wx.chooseLocation` answers it. */
export interface ActivityLocation {
  latitude: number;
  longitude: number;
  name?: string | null;
  address?: string | null;
}

export type AttachmentMime = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * A photo stored in PostgreSQL. `url` answers the bytes, with the caller's bearer token, to whoever
 * may see the record it is attached to (before that, its uploader only).
 */
export interface Attachment {
  id: Id;
  mime: AttachmentMime;
  size: number;
  url: string;
}

export type ContactRole = 'decision-maker' | 'influencer' | 'user' | 'other';

/** A person at a customer (ARCHITECTURE 9.3). */
export interface Contact {
  id: Id;
  customerId: Id;
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  role: ContactRole;
  primary: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  version: number;
}

/** A stage as a stage-change activity recorded it (the phone names it with its key, else its name). */
export interface NotedStage {
  id: Id;
  key: StageKey | null;
  name: string;
}
/** What the server writes for a `stage-change` activity instead of text: the deal and both stages. */
export interface StageChangeParams {
  title: string;
  from: NotedStage;
  to: NotedStage;
}

/**
 * `content` is what the user typed; a `stage-change` activity (written by a move) has empty
 * content and `params`, which the phone writes out in its language. `params` is null otherwise.
 */
export interface Activity {
  id: Id;
  teamId: Id;
  customerId: Id | null;
  opportunityId: Id | null;
  actorId: Id;
  actorName: string;
  type: ActivityType;
  content: string;
  params: StageChangeParams | null;
  contactId: Id | null;
  location: ActivityLocation | null;
  /** Users the author @mentioned; each was notified. */
  mentions: Id[];
  attachments: Attachment[];
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

/** A task as a notification names it (see Task for how the title is shown). */
export type NotedTask = Pick<Task, 'title' | 'titleKey' | 'titleParams'>;

/**
 * What each kind of notification stores; the phone writes the title and body from these in its
 * own language. Times are absolute; the phone shows them in its locale.
 */
export interface NotificationParamsMap {
  'task-assigned': { actorName: string; task: NotedTask };
  'task-reminder': { task: NotedTask; dueAt: IsoDateTime | null; remindAt: IsoDateTime; customerName: string | null };
  'follow-up-due': { task: NotedTask; dueAt: IsoDateTime | null; remindAt: IsoDateTime; customerName: string | null };
  mention: { actorName: string; customerName: string };
  /** To the heir of a deactivated member: how many of the leaver's records are now theirs. */
  handover: { actorName: string; leaverName: string; customers: number; opportunities: number; tasks: number };
  /** A manager gave the user a customer or a deal. */
  'reassigned-to-you': { actorName: string; record: 'customer' | 'opportunity'; name: string };
  /** A manager gave the user's customer or deal to someone else. */
  'reassigned-away': { actorName: string; record: 'customer' | 'opportunity'; name: string; toName: string };
  /** The customer goes back to the pool at `recycleAt` unless someone logs activity on it. */
  'recycle-warning': { customerName: string; recycleAt: IsoDateTime };
  /** The customer went back to the pool after `days` days without activity. */
  'customer-recycled': { customerName: string; days: number };
}
export type NotificationKind = keyof NotificationParamsMap;

/** `kind` and its `params`, discriminated on `kind`. */
export type NotificationText = { [K in NotificationKind]: { kind: K; params: NotificationParamsMap[K] } }[NotificationKind];

/**
 * A notification. `title` and `body` are text the server wrote before notifications were stored as
 * kind and params (older rows only; null on new ones): a client shows them when present, else
 * renders `kind` and `params`.
 */
export type Notification = NotificationText & {
  id: Id;
  title: string | null;
  body: string | null;
  /** Mini program path the notification opens, e.g. `/pages/task-detail/index?id=3`. */
  link: string | null;
  at: IsoDateTime;
  readAt: IsoDateTime | null;
};
