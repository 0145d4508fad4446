import type { PresenceViewer, SocketData } from '@live-crm/shared-types';
import type { CrmServer } from '../../io.js';

export const PRESENCE_PREFIX = 'presence:';
export const presenceRoom = (resource: string): string => `${PRESENCE_PREFIX}${resource}`;

/** Each user once, in a stable order. */
export function viewersOf(sockets: ReadonlyArray<{ data: SocketData }>): PresenceViewer[] {
  const byUser = new Map<number, PresenceViewer>();
  for (const s of sockets) byUser.set(s.data.userId, { userId: s.data.userId, name: s.data.name });
  return [...byUser.values()].sort((a, b) => a.userId - b.userId);
}

/**
 * After a node died without a goodbye: recount every record this node's sockets watch, in one
 * cluster-wide `fetchSockets` (a dead node no longer answers it), and tell this node's own sockets.
 * Every surviving node does the same for its own, so nobody needs to win a race. Answers the rooms told.
 */
export async function recountLocalPresence(io: CrmServer): Promise<number> {
  const rooms = [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(PRESENCE_PREFIX));
  if (rooms.length === 0) return 0;
  const sockets = await io.in(rooms).fetchSockets();
  for (const room of rooms) {
    const viewers = viewersOf(sockets.filter((s) => s.rooms.has(room)));
    io.local.to(room).emit('presence:changed', { resource: room.slice(PRESENCE_PREFIX.length), viewers });
  }
  return rooms.length;
}
