/// <reference types="miniprogram-api-typings" />
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AnyCommand,
  Command,
  CommandMap,
  CommandReq,
  CommandRes,
  CommandType,
  CommunicationResponse,
  CustomerResponse,
  DeactivateMemberResponse,
  FollowUpResponse,
  InvitationCreatedResponse,
  InvitationResponse,
  MessageResponse,
  MoveOpportunityResponse,
  NoteResponse,
  NotificationsResponse,
  OpportunityResponse,
  SubscriptionConsentResponse,
  TaskMutationResponse,
} from '../src/index.js';
import type { send, sendCommand } from '../../miniprogram/services/commands';
import type { createOfflineQueue, QueuedCommand } from '../../miniprogram/services/offline-queue';

/**
 * Type tests for the command map (issue 13): each command's request and answer, and the mini
 * program's `send` / `sendCommand` and offline queue, which take only a matching `{ type, req }`.
 * Each `@ts-expect-error` line must fail to compile, for the reason its comment gives. The mini program's
 * modules use the `wx` global, hence the reference to its typings above.
 */
declare const sendIt: typeof send;
declare const sendCommandIt: typeof sendCommand;
declare const queue: ReturnType<typeof createOfflineQueue>;

describe('CommandMap requests and answers', () => {
  it('takes each command’s own request and answers with its own response', () => {
    expectTypeOf(sendIt('customer.create', { name: 'Acme' })).resolves.toEqualTypeOf<CustomerResponse>();
    expectTypeOf(sendIt('customer.update', { id: 4, version: 2, phone: null })).resolves.toEqualTypeOf<CustomerResponse>();
    expectTypeOf(sendIt('note.add', { customerId: 4, content: 'called' })).resolves.toEqualTypeOf<NoteResponse>();
    expectTypeOf(
      sendIt('opportunity.create', { customerId: 4, title: 'Renewal', valueCents: 120_000 }),
    ).resolves.toEqualTypeOf<OpportunityResponse>();
    expectTypeOf(sendIt('opportunity.update', { id: 7, version: 3, title: 'Renewal 2027' })).resolves.toEqualTypeOf<OpportunityResponse>();
    expectTypeOf(sendIt('opportunity.move', { id: 7, stageId: 3, version: 2 })).resolves.toEqualTypeOf<MoveOpportunityResponse>();
    expectTypeOf(sendIt('task.create', { title: 'Call back' })).resolves.toEqualTypeOf<TaskMutationResponse>();
    expectTypeOf(sendIt('task.update', { id: 9, version: 1, priority: 'high' })).resolves.toEqualTypeOf<TaskMutationResponse>();
    expectTypeOf(sendIt('task.setStatus', { id: 9, status: 'completed', version: 1 })).resolves.toEqualTypeOf<TaskMutationResponse>();
    expectTypeOf(sendIt('task.assign', { id: 9, assigneeId: 5 })).resolves.toEqualTypeOf<TaskMutationResponse>();
    expectTypeOf(sendIt('message.send', { customerId: 4, message: 'hi' })).resolves.toEqualTypeOf<MessageResponse>();
    expectTypeOf(sendIt('followUp.schedule', { customerId: 4, scheduledDate: '2026-12-08' })).resolves.toEqualTypeOf<FollowUpResponse>();
    expectTypeOf(
      sendIt('communication.log', { customerId: 4, type: 'call', direction: 'outbound', status: 'completed' }),
    ).resolves.toEqualTypeOf<CommunicationResponse>();
    expectTypeOf(sendIt('notifications.markRead', {})).resolves.toEqualTypeOf<NotificationsResponse>();
    expectTypeOf(
      sendIt('notifications.consent', { templateId: 'tpl', accepted: true }),
    ).resolves.toEqualTypeOf<SubscriptionConsentResponse>();
    expectTypeOf(sendIt('invitation.create', { role: 'rep' })).resolves.toEqualTypeOf<InvitationCreatedResponse>();
    expectTypeOf(sendIt('invitation.revoke', { id: 3 })).resolves.toEqualTypeOf<InvitationResponse>();
    expectTypeOf(sendIt('member.deactivate', { id: 8, handoverTo: 5 })).resolves.toEqualTypeOf<DeactivateMemberResponse>();
    // @ts-expect-error an invitation never makes an admin
    void sendIt('invitation.create', { role: 'admin' });
    // @ts-expect-error a deactivation names who takes over
    void sendIt('member.deactivate', { id: 8 });
  });

  it('lets a caller read the answer’s fields', async () => {
    const moved = await sendIt('opportunity.move', { id: 7, stageId: 3, version: 2 });
    expectTypeOf(moved.opportunity.version).toEqualTypeOf<number>();
    const scheduled = await sendIt('followUp.schedule', { customerId: 4, scheduledDate: '2026-12-08' });
    expectTypeOf(scheduled.task.id).toEqualTypeOf<number>();
    expectTypeOf<CommandRes<'notifications.consent'>['remaining']>().toEqualTypeOf<number>();
  });

  it('refuses an unknown command, a wrong or incomplete request, and another command’s request', () => {
    // @ts-expect-error no such command: deals are moved, not deleted
    void sendIt('opportunity.delete', { id: 7 });
    // @ts-expect-error a move carries the version the phone knew
    void sendIt('opportunity.move', { id: 7, stageId: 3 });
    // @ts-expect-error a stage id is a number, not a stage name
    void sendIt('opportunity.move', { id: 7, stageId: 'won', version: 2 });
    // @ts-expect-error a task's status is one the product knows
    void sendIt('task.setStatus', { id: 9, status: 'archived', version: 1 });
    // @ts-expect-error an assignment's request is not a move's: no stage
    void sendIt('task.assign', { id: 9, stageId: 3, version: 2 });
    // @ts-expect-error an edit of a customer names the customer
    void sendIt('customer.update', { version: 2, name: 'Acme' });
    expectTypeOf<'opportunity.delete'>().not.toExtend<CommandType>();
  });

  it('pairs a type with its own request even when the type is a union', () => {
    const either = (moving: boolean): 'opportunity.move' | 'task.assign' => (moving ? 'opportunity.move' : 'task.assign');
    const type = either(true);
    // @ts-expect-error a move or an assignment, sent with an assignment's request: which one is unknown
    void sendIt(type, { id: 9, assigneeId: 5 });
    // @ts-expect-error the same pair as data
    void sendCommandIt({ type, req: { id: 9, assigneeId: 5 } });
    if (type === 'opportunity.move')
      expectTypeOf(sendIt(type, { id: 7, stageId: 3, version: 2 })).resolves.toEqualTypeOf<MoveOpportunityResponse>();
    expectTypeOf<Command<'opportunity.move' | 'task.assign'>>().toEqualTypeOf<
      { type: 'opportunity.move'; req: CommandReq<'opportunity.move'> } | { type: 'task.assign'; req: CommandReq<'task.assign'> }
    >();
  });

  it('refuses reading a field the answer does not have', async () => {
    const moved = await sendIt('opportunity.move', { id: 7, stageId: 3, version: 2 });
    // @ts-expect-error a move answers with the opportunity, not a task
    void moved.task;
    const read = await sendIt('notifications.markRead', { ids: [1] });
    // @ts-expect-error marking read answers with the list and the unread count, no `success`
    void read.success;
  });
});

describe('commands as data', () => {
  it('builds a command whose request follows its type', () => {
    const move: Command<'opportunity.move'> = { type: 'opportunity.move', req: { id: 7, stageId: 3, version: 2 } };
    expectTypeOf(sendCommandIt(move)).resolves.toEqualTypeOf<MoveOpportunityResponse>();
    expectTypeOf(sendCommandIt({ type: 'task.assign', req: { id: 9, assigneeId: 5 } })).resolves.toEqualTypeOf<TaskMutationResponse>();
    expectTypeOf<CommandReq<'opportunity.move'>>().toEqualTypeOf<CommandMap['opportunity.move']['req']>();
  });

  it('refuses a command whose request is another command’s', () => {
    // @ts-expect-error a task assignment with a move's request
    void sendCommandIt({ type: 'task.assign', req: { id: 7, stageId: 3, version: 2 } });
    // @ts-expect-error an AnyCommand pairs each type with its own request
    const mixed: AnyCommand = { type: 'opportunity.move', req: { id: 9, assigneeId: 5 } };
    void mixed;
  });

  it('narrows AnyCommand to one request by its type', () => {
    const check = (command: AnyCommand): void => {
      if (command.type === 'opportunity.move') expectTypeOf(command.req.version).toEqualTypeOf<number>();
      if (command.type === 'task.assign') {
        // @ts-expect-error an assignment's request has no version
        void command.req.version;
      }
    };
    void check;
  });
});

describe('the offline queue', () => {
  it('stores `{ key, command: { type, req } }` and submits a matching command', () => {
    const item: QueuedCommand = {
      key: 'k1',
      createdAt: '2026-12-04T18:00:00Z',
      label: 'Move deal',
      attempts: 0,
      command: { type: 'opportunity.move', req: { id: 7, stageId: 3, version: 2 } },
    };
    void queue.enqueue(item);
    expectTypeOf(
      queue.submit({ label: 'Move deal', command: { type: 'opportunity.move', req: { id: 7, stageId: 3, version: 2 } } }),
    ).resolves.toEqualTypeOf<{ queued: false; value: MoveOpportunityResponse } | { queued: true; item: QueuedCommand }>();
    queue.onSettled(['opportunity.move'], (s) => {
      expectTypeOf(s.req).toEqualTypeOf<CommandReq<'opportunity.move'>>();
      if (s.kind === 'applied') expectTypeOf(s.result).toEqualTypeOf<MoveOpportunityResponse>();
    });
  });

  it('refuses a queued item or submission whose request is not its command’s', () => {
    const item: QueuedCommand = {
      key: 'k2',
      createdAt: '2026-12-04T18:00:00Z',
      label: 'Assign task',
      attempts: 0,
      // @ts-expect-error a queued assignment carries an assignment's request, not a move's
      command: { type: 'task.assign', req: { id: 7, stageId: 3, version: 2 } },
    };
    void item;
    // @ts-expect-error a queued move carries the version the phone knew
    void queue.submit({ label: 'Move deal', command: { type: 'opportunity.move', req: { id: 7, stageId: 3 } } });
    // @ts-expect-error settlement is announced for commands that exist
    queue.onSettled(['opportunity.archive'], () => undefined);
  });
});
