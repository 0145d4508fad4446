import { z } from 'zod';
import type { PresenceChanged, PresenceViewer } from '@live-crm/shared-types';
import { handleCommand } from '../../core/ack.js';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/app-error.js';
import { parse } from '../../core/validate.js';
import type { CrmServer, SocketModule } from '../../io.js';
import { PRESENCE_PREFIX as PREFIX, presenceRoom as roomOf, viewersOf } from './presence.viewers.js';

/** Resolves when the actor may see the record, throws (404) otherwise. */
export type PresenceGuard = (actor: Actor, id: number) => Promise<unknown>;

export interface PresenceOptions {
  /** After a change, announce once more when concurrent joins on other nodes have landed. */
  settleMs?: number;
  maxResourcesPerSocket?: number;
  /** Other nodes share the rooms (Redis adapter): tell them when this one shuts down. */
  clustered?: boolean;
}

const Request = z.object({
  resource: z.string().regex(/^customer:[1-9]\d{0,9}$/, 'resource must look like customer:<id>'),
});

/**
 * Who is looking at a record, across every node: the room's sockets come from
 * `fetchSockets()` (the Redis adapter asks the other nodes), each user once.
 */
export function presenceSocket(guards: { customer: PresenceGuard }, opts: PresenceOptions = {}): SocketModule {
  const settleMs = opts.settleMs ?? 300;
  const maxResources = opts.maxResourcesPerSocket ?? 10;
  const pending = new Map<string, NodeJS.Timeout>();
  let closing = false;
  let wiredIo: CrmServer | null = null;

  async function viewers(io: CrmServer, resource: string): Promise<PresenceViewer[]> {
    return viewersOf(await io.in(roomOf(resource)).fetchSockets());
  }

  async function broadcast(io: CrmServer, resource: string): Promise<PresenceChanged> {
    const change = { resource, viewers: await viewers(io, resource) };
    io.to(roomOf(resource)).emit('presence:changed', change);
    return change;
  }

  /** Announce now and once more after the settle time, so racing changes on two nodes converge. */
  function announce(io: CrmServer, resource: string, log: (err: unknown) => void): Promise<PresenceChanged> {
    // A closing node's Redis client goes away under the adapter's fire-and-forget publishes.
    if (closing) return Promise.resolve({ resource, viewers: [] });
    clearTimeout(pending.get(resource));
    const timer = setTimeout(() => {
      pending.delete(resource);
      broadcast(io, resource).catch(log);
    }, settleMs);
    timer.unref();
    pending.set(resource, timer);
    return broadcast(io, resource);
  }

  /**
   * A node shutting down asks the others to recount (their answer no longer includes its sockets),
   * once per resource: closing disconnects every socket in one go, while Redis is still up.
   */
  const leaving = new Set<string>();
  function refreshElsewhere(io: CrmServer, resource: string): void {
    if (!opts.clustered) return;
    if (leaving.size === 0) {
      queueMicrotask(() => {
        for (const r of leaving) io.serverSideEmit('presence:refresh', r);
        leaving.clear();
      });
    }
    leaving.add(resource);
  }

  return ({ io, socket, actor, logger }) => {
    const log = (err: unknown) => logger.debug({ err }, 'presence broadcast failed');
    if (wiredIo !== io) {
      wiredIo = io;
      io.on('presence:refresh', (resource: string) => void announce(io, resource, log).catch(log));
    }
    const joined = () => [...socket.rooms].filter((r) => r.startsWith(PREFIX)).map((r) => r.slice(PREFIX.length));

    socket.on(
      'presence:join',
      handleCommand(logger, actor, async (a, payload: unknown) => {
        const { resource } = parse(Request, payload, 'presence:join');
        if (!socket.rooms.has(roomOf(resource)) && joined().length >= maxResources) {
          throw new AppError('rate_limited', `At most ${maxResources} records can be watched at once`);
        }
        await guards.customer(a, Number(resource.slice('customer:'.length)));
        await socket.join(roomOf(resource));
        return announce(io, resource, log);
      }),
    );

    socket.on(
      'presence:leave',
      handleCommand(logger, actor, async (_a, payload: unknown) => {
        const { resource } = parse(Request, payload, 'presence:leave');
        if (socket.rooms.has(roomOf(resource))) {
          await socket.leave(roomOf(resource));
          announce(io, resource, log).catch(log);
        }
        return { resource };
      }),
    );

    socket.on('disconnecting', (reason) => {
      const resources = joined();
      if (reason === 'server shutting down') {
        closing = true;
        for (const timer of pending.values()) clearTimeout(timer);
        for (const r of resources) refreshElsewhere(io, r);
        return;
      }
      // `disconnect` fires after the socket has left its rooms, so the recount no longer sees it.
      socket.once('disconnect', () => {
        for (const r of resources) announce(io, r, log).catch(log);
      });
    });
  };
}
