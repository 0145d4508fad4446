/** Polls `check` until it answers true; fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Local midnight today in a fixed-offset zone (Shanghai +8, Honolulu -10: neither has DST). */
export function startOfDay(offsetHours: number, now = Date.now()): number {
  const offset = offsetHours * HOUR;
  return Math.floor((now + offset) / DAY) * DAY - offset;
}

/** Waits out the last `marginMs` before a local midnight, so "today" cannot change mid-test. */
export async function clearOfMidnight(offsetHours: number, marginMs = 10_000): Promise<void> {
  const left = startOfDay(offsetHours) + DAY - Date.now();
  if (left < marginMs) await sleep(left + 100);
}
