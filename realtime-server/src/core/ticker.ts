import type { Logger } from 'pino';

export interface Ticker {
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (0: never), one run at a time; the next tick simply tries again
 * after a failure (Redis or the database may be away for a while). Only the first failure of an
 * outage is logged, and the recovery, so a one-second ticker does not flood the log.
 */
export function createTicker(
  name: string,
  intervalMs: number,
  run: () => Promise<unknown>,
  logger: Logger,
  opts: { firstRunMs?: number } = {},
): Ticker {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let failing = false;

  function schedule(delayMs = intervalMs): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = run()
        .then(
          () => {
            if (failing) logger.info(`${name} works again`);
            failing = false;
          },
          (err: unknown) => {
            if (!failing)
              logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${name} failed; retrying every ${intervalMs} ms`);
            failing = true;
          },
        )
        .finally(() => {
          running = null;
          schedule();
        });
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
