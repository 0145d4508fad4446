import type {
  Activity,
  Communication,
  Contact,
  Customer,
  Id,
  IsoDateTime,
  Member,
  Message,
  Note,
  Notification,
  NotificationText,
  Opportunity,
  Task,
} from './entities.js';
import type { ApiErrorBody } from './errors.js';
import type { ImportProgress } from './imports.js';
import type { ClaimingNotice, RedactedEvent } from './ownership.js';

/** Payload (`data`) of each team-scoped fact, keyed by event name. */
export interface TeamEventDataMap {
  'customer:created': { customer: Customer };
  'customer:updated': { customer: Customer };
  'customer:note-added': { customerId: Id; note: Note };
  'opportunity:created': { opportunity: Opportunity };
  'opportunity:updated': { opportunity: Opportunity };
  'opportunity:moved': { opportunity: Opportunity; fromStageId: Id; toStageId: Id };
  /** `task`: the follow-up task the record's next step created in the same transaction. */
  'activity:created': { activity: Activity; task?: Task };
  'contact:created': { contact: Contact };
  'contact:updated': { contact: Contact };
  'task:created': { task: Task };
  'task:updated': { task: Task };
  'task:assigned': { task: Task; previousAssigneeId: Id | null };
  'message:created': { message: Message };
  'communication:logged': { communication: Communication };
  'customer:owner-changed': { customer: Customer; previousOwnerId: Id | null; reason: OwnerChangeReason };
  'opportunity:owner-changed': { opportunity: Opportunity; previousOwnerId: Id | null; reason: OwnerChangeReason };
  /** Someone joined the team through an invitation (the envelope's actor is the new member). */
  'member:joined': { member: Member; invitationId: Id };
  /**
   * A member was deactivated; the owner-changed and task:assigned envelopes of their handover come
   * first, each its own seq, in the same transaction.
   */
  'member:deactivated': { member: Member; handoverTo: Id };
  /** One envelope for a whole import: phones refetch their lists rather than receive 10,000 rows. */
  'customers:imported': { importId: Id; count: number };
}

/** Why a record changed hands (ARCHITECTURE §9.2). */
export type OwnerChangeReason = 'claim' | 'release' | 'recycle' | 'reassign' | 'handover';

export type TeamEventType = keyof TeamEventDataMap;

/** The one envelope every team-scoped event carries; `seq` is gap-free per team. */
export interface TeamEventEnvelope<K extends TeamEventType = TeamEventType> {
  seq: number;
  eventId: string;
  teamId: Id;
  type: K;
  actorId: Id;
  at: IsoDateTime;
  data: TeamEventDataMap[K];
}

/** Any envelope, discriminated on `type`. */
export type AnyTeamEvent = { [K in TeamEventType]: TeamEventEnvelope<K> }[TeamEventType];

/** A notification as it arrives live: the stored one without `readAt` (it is unread). */
export type NotificationPayload = NotificationText & Pick<Notification, 'id' | 'title' | 'body' | 'link' | 'at'>;

export interface PresenceViewer {
  userId: Id;
  name: string;
}

export interface PresenceChanged {
  resource: string;
  viewers: PresenceViewer[];
}

/** Result passed to a command's acknowledgement callback. */
/** A refused command's ack carries `current` (the fresh record) on a 409, like the REST body. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody; current?: unknown };
export type AckCallback<T> = (res: Ack<T>) => void;

export interface SyncResumeRequest {
  lastSeq: Record<string, number>;
}

export interface SyncResumeResult {
  /** In seq order; an envelope this user may not see comes as `redacted` (seq only), so nothing looks missing. */
  events: Array<AnyTeamEvent | RedactedEvent>;
  /** true when the gap is beyond retention: refetch instead of replaying. */
  reset: boolean;
  /**
   * true when this answer is one page (at most 500 envelopes) of what was missed: ask again with
   * the last seq received per team. `latestSeq` is where the teams stand, not how far this page goes.
   */
  hasMore: boolean;
  /** Latest seq per team, so a client with nothing missed still learns where it stands. */
  latestSeq: Record<string, number>;
}

export interface PresenceRequest {
  resource: string;
}

export interface OpportunityMoveCommand {
  id: Id;
  stageId: Id;
  version: number;
  /** As the REST move's Idempotency-Key header: a retry over either transport answers the first result. */
  idempotencyKey?: string;
}

export interface OpportunityMoveResult {
  success: true;
  opportunity: Opportunity;
}

type TeamFactListeners = {
  [K in TeamEventType]: (event: TeamEventEnvelope<K>) => void;
};

export interface ServerToClientEvents extends TeamFactListeners {
  notification: (notification: NotificationPayload) => void;
  'presence:changed': (presence: PresenceChanged) => void;
  /** To `user:<uploader>` only, while an import's rows are checked (ARCHITECTURE §9.5). */
  'import:progress': (progress: ImportProgress) => void;
  /** A team event this user may not see (`owner` visibility): its seq only, so the stream stays gap-free. */
  'event:redacted': (event: RedactedEvent) => void;
  /** Transient, no seq: a teammate started claiming a pool customer. */
  'customer:claiming': (notice: ClaimingNotice) => void;
}

export interface ClientToServerEvents {
  'sync:resume': (req: SyncResumeRequest, ack: AckCallback<SyncResumeResult>) => void;
  'presence:join': (req: PresenceRequest, ack?: AckCallback<PresenceChanged>) => void;
  'presence:leave': (req: PresenceRequest, ack?: AckCallback<{ resource: string }>) => void;
  'opportunity:move': (cmd: OpportunityMoveCommand, ack: AckCallback<OpportunityMoveResult>) => void;
  /** Tells teammates (transient `customer:claiming`) that this user is claiming a pool customer. */
  'customer:claim-started': (req: { customerId: Id }, ack?: AckCallback<{ customerId: Id }>) => void;
}

/** Messages between server nodes (serverSideEmit). */
export interface InterServerEvents {
  'presence:refresh': (resource: string) => void;
  /** A user's role, team or activity changed: forget their cached rights and close their sockets, then answer. */
  'user:rights-revoked': (userId: Id, done: (applied: true) => void) => void;
  /** The highest seq per team (id as key) a node published since its last announcement. */
  'heads:published': (heads: Record<string, number>) => void;
}

/** What the server keeps on each authenticated socket. */
export interface SocketData {
  userId: Id;
  tenantId: Id;
  teamIds: Id[];
  name: string;
  role: 'rep' | 'manager' | 'admin';
  /** When the token the socket connected with ends (ms since the epoch): the socket ends then too. */
  expiresAt: number;
}
