import type { Logger } from 'pino';

export interface Ticker {
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (0: never), one run at a time; a failed run is logged and the next
 * tick simply tries again (Redis or the database may be away for a while).
 */
export function createTicker(
  name: string, intervalMs: number, run: () => Promise<unknown>, logger: Logger, opts: { firstRunMs?: number } = {},
): Ticker {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function schedule(delayMs = intervalMs): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = run()
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${name} failed`))
        .finally(() => { running = null; schedule(); });
    }, delayMs);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped || intervalMs <= 0) return;
      stopped = false;
      schedule(opts.firstRunMs ?? intervalMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
