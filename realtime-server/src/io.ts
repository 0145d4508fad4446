import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { AnyTeamEvent, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@live-crm/shared-types';
import type { Actor } from './core/actor.js';
import { redact, type Owners } from './core/audience.js';
import { toAppError } from './core/app-error.js';
import type { EventBus } from './core/event-bus.js';
import type { Metrics } from './core/metrics.js';
import type { RateLimiter } from './core/rate-limit.js';
import type { RightsHub } from './core/rights.js';
import type { AuthService } from './modules/auth/auth.service.js';

export type CrmServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type CrmSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A domain's socket handlers, registered on each authenticated connection. */
export type SocketModule = (ctx: { io: CrmServer; socket: CrmSocket; actor: Actor; logger: Logger }) => void;

export interface IoDeps {
  logger: Logger;
  auth: AuthService;
  bus: EventBus;
  rights: RightsHub;
  modules: SocketModule[];
  adapter?: Parameters<CrmServer['adapter']>[0];
  allowRequest: (req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) => void;
  limiter: RateLimiter;
  /** Command latency, from arrival to ack. */
  metrics: Metrics;
  maxSocketsPerUser: number;
  maxHttpBufferSize?: number;
}

export const teamRoom = (teamId: number): string => `team:${teamId}`;
export const userRoom = (userId: number): string => `user:${userId}`;
/** A team's managers and its tenant's admins: they see every record of the team. */
export const staffRoom = (teamId: number): string => `staff:${teamId}`;

/** Emits a committed envelope under its own event name; the map keys and envelope types line up by construction. */
export function emitEnvelope(target: { emit: CrmServer['emit'] }, envelope: AnyTeamEvent): void {
  (target.emit as (ev: string, payload: AnyTeamEvent) => boolean)(envelope.type, envelope);
}

type Broadcaster = Pick<CrmServer, 'to'>;

/**
 * Sends a committed envelope to the phones that may see it. A `team` visibility team (audience
 * null) is one room broadcast, as before ownership existed. In `owner` visibility the staff room and
 * the audience's user rooms get the envelope, and every other socket of the team room gets its seq
 * only (`event:redacted`), so each phone's stream stays gap-free: two broadcasts, still no per-socket work.
 */
export function deliver(target: Broadcaster, envelope: AnyTeamEvent, audience: Owners, alsoToUsers: number[] = []): void {
  if (audience === null) {
    emitEnvelope(target.to([teamRoom(envelope.teamId), ...alsoToUsers.map(userRoom)]), envelope);
    return;
  }
  const full = [staffRoom(envelope.teamId), ...[...new Set([...audience, ...alsoToUsers])].map(userRoom)];
  emitEnvelope(target.to(full), envelope);
  target.to(teamRoom(envelope.teamId)).except(full).emit('event:redacted', redact(envelope));
}

/** Longest delay setTimeout honours (about 24.8 days); a later expiry is checked again at reconnect. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Revoked rights: this node closes the user's sockets here (`io.local`) and forgets the cached
 * actor; with Redis, every other node does the same and answers before `revoke` resolves.
 */
function wireRights(io: CrmServer, deps: IoDeps): void {
  deps.rights.onRevoke((userId) => io.local.in(userRoom(userId)).disconnectSockets(true));
  if (!deps.adapter) return;
  io.on('user:rights-revoked', (userId, done) => {
    deps.rights.applyLocally(userId);
    done(true);
  });
  deps.rights.setFanOut(
    (userId) =>
      new Promise((resolve) => {
        io.serverSideEmit('user:rights-revoked', userId, (err: Error | null) => {
          // A node that did not answer in time still drops the entry when its cache TTL runs out.
          if (err) deps.logger.warn({ err: err.message, userId }, 'rights revocation not confirmed by every node');
          resolve();
        });
      }),
  );
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
    deps.auth.session(typeof token === 'string' ? token : undefined).then(
      ({ actor, expiresAt }) => {
        if ((socketsPerUser.get(actor.userId) ?? 0) >= deps.maxSocketsPerUser) return next(new Error('too_many_connections'));
        socket.data = {
          userId: actor.userId,
          tenantId: actor.tenantId,
          teamIds: actor.teamIds,
          name: actor.name,
          role: actor.role,
          expiresAt,
        };
        next();
      },
      // Only a bad token is "unauthorized" (final for the client); a database that is away is not.
      (err: unknown) => next(new Error(toAppError(err).code === 'unauthorized' ? 'unauthorized' : 'unavailable')),
    );
  });

  io.on('connection', (socket) => {
    const { userId, tenantId, teamIds, name, role } = socket.data;
    const actor: Actor = { userId, tenantId, teamIds, name, role, teamId: role === 'admin' ? null : (teamIds[0] ?? null) };
    socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
    // The socket's rights end with its token: the client comes back with a fresh one or signs in.
    const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(socket.data.expiresAt - Date.now(), 0), MAX_TIMER_MS));
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      const left = (socketsPerUser.get(userId) ?? 1) - 1;
      if (left > 0) socketsPerUser.set(userId, left);
      else socketsPerUser.delete(userId);
    });
    // Times every command to its ack; an event name nobody handles is one label, not one per name a client invents.
    socket.use((packet, next) => {
      const ack = packet.at(-1);
      if (typeof ack === 'function') {
        const name = String(packet[0]) as keyof ClientToServerEvents;
        const done = deps.metrics.commandStarted(socket.listeners(name).length > 0 ? name : 'unknown');
        packet[packet.length - 1] = (res: { ok?: unknown } | undefined) => {
          done(res?.ok === true ? 'ok' : 'error');
          (ack as (r: unknown) => void)(res);
        };
      }
      next();
    });
    // Over the rate limit a command is answered with an error ack and not run.
    socket.use(([, ...args], next) => {
      void deps.limiter.take(userId).then(
        (wait) => {
          if (wait === 0) return next();
          const ack = args.at(-1);
          if (typeof ack === 'function')
            ack({ ok: false, error: { code: 'rate_limited', message: 'Too many requests; slow down and retry shortly' } });
        },
        () => next(),
      ); // the limiter itself failing must not end the socket
    });
    const staff = role === 'rep' ? [] : teamIds.map(staffRoom);
    void socket.join([...teamIds.map(teamRoom), ...staff, userRoom(userId)]);
    for (const register of deps.modules) register({ io, socket, actor, logger: deps.logger });
  });

  wireRights(io, deps);
  deps.bus.onPublish(({ envelope, alsoToUsers, audience }) => deliver(io, envelope, audience, alsoToUsers));
  deps.bus.onNotify(({ userId, notification }) => {
    io.to(userRoom(userId)).emit('notification', notification);
  });
  deps.bus.onProgress(({ userId, progress }) => {
    io.to(userRoom(userId)).emit('import:progress', progress);
  });
  return io;
}
