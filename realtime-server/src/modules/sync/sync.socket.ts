import { z } from 'zod';
import { handleCommand } from '../../core/ack.js';
import { parse } from '../../core/validate.js';
import type { SocketModule } from '../../io.js';
import type { SyncService } from './sync.service.js';

const Resume = z.object({
  lastSeq: z.record(z.string().regex(/^\d{1,10}$/), z.number().int().min(0)).refine((r) => Object.keys(r).length <= 100, 'too many teams'),
});

/**
 * Runs one user's tasks one after another on this node. A burst of resumes from one user then
 * takes one database connection and one page's encoding at a time, not the whole pool.
 */
function perUserQueue() {
  const tails = new Map<number, Promise<unknown>>();
  return <T>(userId: number, run: () => Promise<T>): Promise<T> => {
    const result = (tails.get(userId) ?? Promise.resolve()).then(run);
    const tail = result.catch(() => undefined);
    tails.set(userId, tail);
    void tail.then(() => {
      if (tails.get(userId) === tail) tails.delete(userId);
    });
    return result;
  };
}

/** `sync:resume`: replays what a reconnecting client missed, from PostgreSQL, a page at a time. */
export function syncSocket(sync: SyncService): SocketModule {
  const inTurn = perUserQueue();
  return ({ socket, actor, logger }) => {
    socket.on(
      'sync:resume',
      handleCommand(logger, actor, async (a, payload: unknown) => {
        const { lastSeq } = parse(Resume, payload, 'sync:resume');
        return inTurn(a.userId, () => sync.resume(a, lastSeq));
      }),
    );
  };
}
