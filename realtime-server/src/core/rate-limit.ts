import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Per-key limits shared by every node through Redis (rate-limiter-flexible), so a user whose calls
 * land on N nodes still gets the configured limit, not N times it. Without Redis, or while Redis is
 * away, each node counts in memory (the insurance limiter): degraded to per node, never unlimited.
 */
export interface RateLimiter {
  /** Charges `cost` (default 1) to `key`: 0 when it may proceed now, else the seconds to wait (Retry-After). */
  take(key: string | number, cost?: number): Promise<number>;
}

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Where the counters live when there is Redis: a node-redis v4 client and a key prefix of this deployment. */
export interface RateLimitStore {
  client: unknown;
  prefix: string;
}

/**
 * `perSecond` with room for `burst`, as fixed windows: up to `burst` calls in any window of
 * burst/perSecond seconds (at least 1 s, since Redis expiries are whole seconds).
 */
function windowOf({ perSecond, burst }: RateLimit): { points: number; duration: number } {
  const duration = Math.max(1, Math.ceil(burst / perSecond));
  return { points: Math.max(burst, Math.floor(perSecond * duration)), duration };
}

export function createRateLimiter(limit: RateLimit, store?: RateLimitStore, name = 'api'): RateLimiter {
  const window = windowOf(limit);
  const memory = new RateLimiterMemory({ ...window, keyPrefix: name });
  const limiter: RateLimiterAbstract = store
    ? new RateLimiterRedis({
        ...window,
        storeClient: store.client,
        useRedisPackage: true,
        keyPrefix: `${store.prefix}:rl:${name}`,
        // Redis not ready: count in memory at once instead of waiting on a reconnect.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
        // A key already over its limit is refused here without asking Redis again until its window ends.
        inMemoryBlockOnConsumed: window.points + 1,
      })
    : memory;

  return {
    async take(key, cost = 1) {
      try {
        await limiter.consume(String(key), cost);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw err;
      }
    },
  };
}
