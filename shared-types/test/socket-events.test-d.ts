import type { Server } from 'socket.io';
import type { Socket as PhoneSocket } from 'weapp.socket.io';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ClientToServerEvents,
  ErrorCode,
  Id,
  InterServerEvents,
  NotificationPayload,
  Opportunity,
  OpportunityMoveCommand,
  ServerToClientEvents,
  SocketData,
  SyncResumeResult,
  Task,
  TeamEventEnvelope,
} from '../src/index.js';

/**
 * The event maps as both ends use them: the server through Socket.IO's own typings
 * (`Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>`), the phone
 * through weapp.socket.io's (miniprogram/typings). Each `@ts-expect-error` line must fail to compile.
 */
declare const io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
declare const phone: PhoneSocket<ServerToClientEvents, ClientToServerEvents>;
declare const moved: TeamEventEnvelope<'opportunity:moved'>;
declare const assigned: TeamEventEnvelope<'task:assigned'>;
declare const opportunity: Opportunity;
declare const task: Task;
declare const notification: NotificationPayload;
const move: OpportunityMoveCommand = { id: 7, stageId: 3, version: 2 };

describe('ServerToClientEvents', () => {
  it('sends each fact with its own envelope and lets the phone read its data', () => {
    io.to('team:1').emit('opportunity:moved', moved);
    io.to('user:5').emit('task:assigned', assigned);
    io.to('user:5').emit('notification', notification);
    phone.on('opportunity:moved', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'opportunity:moved'>();
      expectTypeOf(event.data.toStageId).toEqualTypeOf<Id>();
    });
    phone.on('task:assigned', (event) => expectTypeOf(event.data.previousAssigneeId).toEqualTypeOf<Id | null>());
  });

  it('refuses a payload that is not the event’s own', () => {
    // @ts-expect-error a move fact carries the move envelope, not a task's
    io.to('team:1').emit('opportunity:moved', assigned);
    // @ts-expect-error an assignment names the previous assignee
    io.to('team:1').emit('task:assigned', { ...assigned, data: { task } });
    // @ts-expect-error a notification is of a kind the product knows
    io.to('user:5').emit('notification', { ...notification, kind: 'birthday' });
    // @ts-expect-error a listener for one fact cannot take another fact's envelope
    phone.on('task:assigned', (_event: TeamEventEnvelope<'task:created'>) => undefined);
  });

  it('tells an uploader how far the check of their import has come, typed', () => {
    io.to('user:5').emit('import:progress', { id: 3, processed: 500, total: 10_000, status: 'checking' });
    phone.on('import:progress', (p) => expectTypeOf(p.processed).toEqualTypeOf<number>());
    // @ts-expect-error progress names its import and where it stands
    io.to('user:5').emit('import:progress', { processed: 500, total: 10_000 });
    // @ts-expect-error an import is checking, ready, applied or failed
    io.to('user:5').emit('import:progress', { id: 3, processed: 500, total: 10_000, status: 'half-way' });
  });

  it('refuses an event name that is not a fact', () => {
    // @ts-expect-error facts are past tense: `opportunity:move` is the command
    io.to('team:1').emit('opportunity:move', moved);
    // @ts-expect-error no such fact
    io.to('team:1').emit('opportunity:deleted', moved);
    // @ts-expect-error the phone listens for facts only
    phone.on('opportunity:archived', () => undefined);
  });
});

describe('ClientToServerEvents and their acks', () => {
  it('sends a command with its ack, and the ack is the success data or a typed error', () => {
    phone.emit('opportunity:move', move, (res) => {
      if (res.ok) expectTypeOf(res.data.opportunity).toEqualTypeOf<Opportunity>();
      else expectTypeOf(res.error.code).toEqualTypeOf<ErrorCode>();
    });
    phone.emit('sync:resume', { lastSeq: { '1': 40 } }, (res) => {
      if (res.ok) expectTypeOf(res.data).toEqualTypeOf<SyncResumeResult>();
    });
    // Presence acks are optional.
    phone.emit('presence:join', { resource: 'customer:9' });
  });

  it('refuses a command without its ack, with a wrong request, or under a fact’s name', () => {
    // @ts-expect-error a move needs its ack
    phone.emit('opportunity:move', move);
    // @ts-expect-error a resume needs its ack
    phone.emit('sync:resume', { lastSeq: {} });
    // @ts-expect-error a move carries the version it was based on
    phone.emit('opportunity:move', { id: 7, stageId: 3 }, () => undefined);
    // @ts-expect-error the ack receives a move result, not a resume result
    phone.emit('opportunity:move', move, (res: { ok: true; data: SyncResumeResult }) => res);
    // @ts-expect-error commands are imperative: `opportunity:moved` is a fact
    phone.emit('opportunity:moved', moved);
  });

  it('gives the server the typed request and an ack that only takes the command’s answer', () => {
    io.on('connection', (socket) => {
      expectTypeOf(socket.data.role).toEqualTypeOf<'rep' | 'manager' | 'admin'>();
      socket.on('opportunity:move', (cmd, ack) => {
        expectTypeOf(cmd).toEqualTypeOf<OpportunityMoveCommand>();
        ack({ ok: true, data: { success: true, opportunity } });
        ack({ ok: false, error: { code: 'conflict', message: 'Someone moved it first' }, current: opportunity });
        // @ts-expect-error the answer goes under `data`
        ack({ ok: true, opportunity });
        // @ts-expect-error error codes come from ErrorCode
        ack({ ok: false, error: { code: 'stale', message: 'stale' } });
      });
      socket.on('sync:resume', (_req, ack) => {
        // @ts-expect-error a resume answer says whether more pages follow
        ack({ ok: true, data: { events: [], reset: false, latestSeq: {} } });
      });
      // @ts-expect-error the server listens for commands only
      socket.on('task:assigned', () => undefined);
    });
  });
});

describe('InterServerEvents', () => {
  it('carries what one node tells the others, answered where the event asks for it', async () => {
    io.serverSideEmit('presence:refresh', 'customer:9');
    io.serverSideEmit('heads:published', { '1': 41 });
    io.on('user:rights-revoked', (userId, done) => {
      expectTypeOf(userId).toEqualTypeOf<Id>();
      done(true);
    });
    expectTypeOf(await io.serverSideEmitWithAck('user:rights-revoked', 5)).toEqualTypeOf<true[]>();
  });

  it('refuses a wrong argument, a wrong answer and an unknown name', () => {
    // @ts-expect-error a resource is named by a string
    io.serverSideEmit('presence:refresh', 9);
    io.on('user:rights-revoked', (_userId, done) => {
      // @ts-expect-error a node answers `true` once it applied the revocation
      done(false);
    });
    // @ts-expect-error no such message between nodes
    io.serverSideEmit('heads:announced', { '1': 41 });
  });
});
