/**
 * Per-key token buckets, in memory on each node. A user's REST calls may land on any node, so the
 * effective limit is per node; the point is to stop one client from flooding, not exact accounting.
 */
export interface RateLimiter {
  /** true when the key may proceed now. */
  take(key: string | number): boolean;
  /** Seconds until the key has a token again (for Retry-After). */
  retryAfter(key: string | number): number;
}

export function createRateLimiter({ perSecond, burst }: { perSecond: number; burst: number }): RateLimiter {
  const buckets = new Map<string | number, { tokens: number; at: number }>();

  function refill(key: string | number, now: number) {
    const b = buckets.get(key) ?? { tokens: burst, at: now };
    // Date.now() may step back (NTP, a moved clock): that refills nothing rather than draining the bucket.
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = now;
    buckets.set(key, b);
    return b;
  }

  // Full buckets carry no information; drop them so idle users cost nothing.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, b] of buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) buckets.delete(key);
  }, 60_000);
  sweep.unref();

  return {
    take(key) {
      const b = refill(key, Date.now());
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    retryAfter(key) {
      const b = refill(key, Date.now());
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    },
  };
}
