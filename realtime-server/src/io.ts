import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type {
  AnyTeamEvent, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData,
} from '@live-crm/shared-types';
import type { Actor } from './core/actor.js';
import { toAppError } from './core/app-error.js';
import type { EventBus } from './core/event-bus.js';
import type { RateLimiter } from './core/rate-limit.js';
import type { AuthService } from './modules/auth/auth.service.js';

export type CrmServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type CrmSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A domain's socket handlers, registered on each authenticated connection. */
export type SocketModule = (ctx: { io: CrmServer; socket: CrmSocket; actor: Actor; logger: Logger }) => void;

export interface IoDeps {
  logger: Logger;
  auth: AuthService;
  bus: EventBus;
  modules: SocketModule[];
  adapter?: Parameters<CrmServer['adapter']>[0];
  allowRequest: (req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) => void;
  limiter: RateLimiter;
  maxSocketsPerUser: number;
  maxHttpBufferSize?: number;
}

export const teamRoom = (teamId: number): string => `team:${teamId}`;
export const userRoom = (userId: number): string => `user:${userId}`;

/** Emits a committed envelope under its own event name; the map keys and envelope types line up by construction. */
export function emitEnvelope(target: { emit: CrmServer['emit'] }, envelope: AnyTeamEvent): void {
  (target.emit as (ev: string, payload: AnyTeamEvent) => boolean)(envelope.type, envelope);
}

export function createIo(http: HttpServer, deps: IoDeps): CrmServer {
  const io: CrmServer = new Server(http, {
    // WebSocket only: no sticky sessions needed behind a load balancer, and the mini program has nothing else.
    transports: ['websocket'],
    maxHttpBufferSize: deps.maxHttpBufferSize ?? 64 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    allowRequest: deps.allowRequest,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  // A mini program holds at most 5 sockets; more from one user on one node is a leak or abuse.
  const socketsPerUser = new Map<number, number>();
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    deps.auth.authenticate(typeof token === 'string' ? token : undefined).then(
      (actor) => {
        if ((socketsPerUser.get(actor.userId) ?? 0) >= deps.maxSocketsPerUser) return next(new Error('too_many_connections'));
        socket.data = { userId: actor.userId, tenantId: actor.tenantId, teamIds: actor.teamIds, name: actor.name, role: actor.role };
        next();
      },
      // Only a bad token is "unauthorized" (final for the client); a database that is away is not.
      (err: unknown) => next(new Error(toAppError(err).code === 'unauthorized' ? 'unauthorized' : 'unavailable')),
    );
  });

  io.on('connection', (socket) => {
    const { userId, tenantId, teamIds, name, role } = socket.data;
    const actor: Actor = { userId, tenantId, teamIds, name, role, teamId: role === 'admin' ? null : teamIds[0] ?? null };
    socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
    socket.on('disconnect', () => {
      const left = (socketsPerUser.get(userId) ?? 1) - 1;
      if (left > 0) socketsPerUser.set(userId, left);
      else socketsPerUser.delete(userId);
    });
    // Over the rate limit a command is answered with an error ack and not run.
    socket.use(([, ...args], next) => {
      if (deps.limiter.take(userId)) return next();
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'rate_limited', message: 'Too many requests; slow down and retry shortly' } });
    });
    void socket.join([...teamIds.map(teamRoom), userRoom(userId)]);
    for (const register of deps.modules) register({ io, socket, actor, logger: deps.logger });
  });

  deps.bus.onPublish(({ envelope, alsoToUsers }) => {
    emitEnvelope(io.to([teamRoom(envelope.teamId), ...alsoToUsers.map(userRoom)]), envelope);
  });
  deps.bus.onNotify(({ userId, notification }) => {
    io.to(userRoom(userId)).emit('notification', notification);
  });
  return io;
}
