import { z } from 'zod';
import { handleCommand } from '../../core/ack.js';
import { parse } from '../../core/validate.js';
import type { SocketModule } from '../../io.js';
import type { SyncService } from './sync.service.js';

const Resume = z.object({
  lastSeq: z.record(z.string().regex(/^\d{1,10}$/), z.number().int().min(0)).refine((r) => Object.keys(r).length <= 100, 'too many teams'),
});

/** `sync:resume`: replays what a reconnecting client missed, from PostgreSQL. */
export function syncSocket(sync: SyncService): SocketModule {
  return ({ socket, actor, logger }) => {
    socket.on('sync:resume', handleCommand(logger, actor, async (a, payload: unknown) => {
      const { lastSeq } = parse(Resume, payload, 'sync:resume');
      return sync.resume(a, lastSeq);
    }));
  };
}
