import type { Logger } from 'pino';
import type { SyncService } from './sync.service.js';

export interface RetentionDeps {
  sync: Pick<SyncService, 'prune' | 'pruneIdempotencyKeys'>;
  logger: Logger;
  /** 0 turns the schedule off (runOnce still works). */
  intervalMs: number;
}

export interface RetentionRun {
  events: number;
  idempotencyKeys: number;
}

/**
 * Bounds the team event log and the remembered Idempotency-Keys. Every node runs it: the deletes
 * are idempotent, so two nodes pruning at once only repeat a cheap no-op.
 */
export function createRetentionScheduler({ sync, logger, intervalMs }: RetentionDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  async function runOnce(now = new Date()): Promise<RetentionRun> {
    const events = await sync.prune(now);
    const idempotencyKeys = await sync.pruneIdempotencyKeys(now);
    if (events + idempotencyKeys > 0) logger.info({ events, idempotencyKeys }, 'retention pruned');
    return { events, idempotencyKeys };
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      // The database may be away for a while; the next tick simply tries again.
      running = runOnce()
        .catch((err: unknown) => logger.warn({ err }, 'retention run failed'))
        .finally(() => {
          running = null;
          schedule(intervalMs);
        });
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    /** First run shortly after start (a node that restarts often still prunes), then every interval. */
    start(): void {
      if (!stopped || intervalMs <= 0) return;
      stopped = false;
      schedule(Math.min(intervalMs, 1000));
    },
    /** Stops the timer and waits for a run in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type RetentionScheduler = ReturnType<typeof createRetentionScheduler>;
