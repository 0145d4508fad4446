import type {
  ActivityInput,
  ActivityResponse,
  AssignTaskRequest,
  ContactInput,
  ContactPatch,
  ContactResponse,
  CommunicationInput,
  CommunicationResponse,
  CustomerInput,
  CustomerPatch,
  CustomerResponse,
  DeactivateMemberRequest,
  DeactivateMemberResponse,
  FollowUpInput,
  FollowUpResponse,
  InvitationCreatedResponse,
  InvitationInput,
  InvitationResponse,
  MarkReadRequest,
  MessageInput,
  MessageResponse,
  MoveOpportunityRequest,
  MoveOpportunityResponse,
  NoteInput,
  NoteResponse,
  NotificationsResponse,
  OpportunityInput,
  OpportunityPatch,
  OpportunityResponse,
  SubscriptionConsentRequest,
  SubscriptionConsentResponse,
  TaskInput,
  TaskMutationResponse,
  TaskUpdate,
} from './api.js';
import type { Id, TaskStatus } from './entities.js';
import type { ImportApplyRequest, ImportResponse } from './imports.js';
import type {
  AssignOwnerRequest,
  OwnerCustomerResponse,
  OwnerOpportunityResponse,
  ReleaseCustomerRequest,
  TargetRequest,
  TargetResponse,
  TeamSettingsPatch,
  TeamSettingsResponse,
} from './ownership.js';

/**
 * A record as the phone keeps it until sent: `photos` are files on the phone, each uploaded once
 * (POST /api/crm/attachments, under the command's key and its index) right before the record goes
 * out with their ids, so a record made offline waits in the queue with its photos and is sent once.
 */
export interface ActivityLogRequest extends ActivityInput {
  photos?: string[];
}

/**
 * Every write the phone makes, as data: a name, its request and its answer. The phone maps each to
 * its REST route (and, where one exists, its socket twin); the offline queue stores them as they are.
 * A request that edits a versioned record carries its `id` and the `version` the phone knew.
 */
export interface CommandMap {
  'customer.create': { req: CustomerInput; res: CustomerResponse };
  'customer.update': { req: CustomerPatch & { id: Id }; res: CustomerResponse };
  'note.add': { req: NoteInput & { customerId: Id }; res: NoteResponse };
  'opportunity.create': { req: OpportunityInput; res: OpportunityResponse };
  'opportunity.update': { req: OpportunityPatch & { id: Id }; res: OpportunityResponse };
  'opportunity.move': { req: MoveOpportunityRequest & { id: Id }; res: MoveOpportunityResponse };
  'task.create': { req: TaskInput; res: TaskMutationResponse };
  'task.update': { req: TaskUpdate & { id: Id }; res: TaskMutationResponse };
  /** Complete or reopen: the status alone, on the version the phone knew. */
  'task.setStatus': { req: { id: Id; status: TaskStatus; version: number }; res: TaskMutationResponse };
  'task.assign': { req: AssignTaskRequest & { id: Id }; res: TaskMutationResponse };
  'message.send': { req: MessageInput; res: MessageResponse };
  'followUp.schedule': { req: FollowUpInput; res: FollowUpResponse };
  'communication.log': { req: CommunicationInput; res: CommunicationResponse };
  /** A follow-up record (写跟进) or visit, with the photos still on the phone (see ActivityLogRequest). */
  'activity.log': { req: ActivityLogRequest; res: ActivityResponse };
  'contact.create': { req: ContactInput & { customerId: Id }; res: ContactResponse };
  'contact.update': { req: ContactPatch & { id: Id }; res: ContactResponse };
  'notifications.markRead': { req: MarkReadRequest; res: NotificationsResponse };
  'notifications.consent': { req: SubscriptionConsentRequest; res: SubscriptionConsentResponse };
  'import.apply': { req: ImportApplyRequest & { id: Id }; res: ImportResponse };
  'invitation.create': { req: InvitationInput; res: InvitationCreatedResponse };
  'invitation.revoke': { req: { id: Id }; res: InvitationResponse };
  'member.deactivate': { req: DeactivateMemberRequest & { id: Id }; res: DeactivateMemberResponse };
  /** ARCHITECTURE 9.2: take a pool customer, give one back (saying why), a manager's reassignment. */
  'customer.claim': { req: { id: Id }; res: OwnerCustomerResponse };
  'customer.release': { req: ReleaseCustomerRequest & { id: Id }; res: OwnerCustomerResponse };
  'customer.reassign': { req: AssignOwnerRequest & { id: Id }; res: OwnerCustomerResponse };
  'opportunity.reassign': { req: AssignOwnerRequest & { id: Id }; res: OwnerOpportunityResponse };
  'team.settings': { req: TeamSettingsPatch; res: TeamSettingsResponse };
  'target.set': { req: TargetRequest; res: TargetResponse };
}

export type CommandType = keyof CommandMap;
export type CommandReq<K extends CommandType> = CommandMap[K]['req'];
export type CommandRes<K extends CommandType> = CommandMap[K]['res'];

/**
 * One command as data: what the offline queue stores and replays. Built per member of `K`, so a
 * union of types is a union of `{ type, req }` pairs: a type never travels with another's request.
 */
export type Command<K extends CommandType = CommandType> = { [P in K]: { type: P; req: CommandReq<P> } }[K];

/** Any command, discriminated on `type`. */
export type AnyCommand = Command;
