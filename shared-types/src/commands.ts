import type {
  AssignTaskRequest,
  CommunicationInput,
  CommunicationResponse,
  CustomerInput,
  CustomerPatch,
  CustomerResponse,
  FollowUpInput,
  FollowUpResponse,
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
  'notifications.markRead': { req: MarkReadRequest; res: NotificationsResponse };
  'notifications.consent': { req: SubscriptionConsentRequest; res: SubscriptionConsentResponse };
  'import.apply': { req: ImportApplyRequest & { id: Id }; res: ImportResponse };
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
