import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from './app-error.js';
import type { RateLimiter, RateLimitStore } from './rate-limit.js';

/** Downloads one user may stream at once, across every node. */
export const DOWNLOADS_PER_USER = 3;
/** A download costs the user's rate-limit budget this many calls: it holds a connection and a query. */
const DOWNLOAD_COST = 5;
/** A slot is a lease: renewed while the bytes flow, gone on its own if its node dies mid-download. */
const LEASE_MS = 30_000;

/** Resolves a release function, or null when the user already has `max` downloads running. */
type Acquire = (userId: number) => Promise<(() => void) | null>;

function memorySlots(max: number): Acquire {
  const running = new Map<number, number>();
  return async (userId) => {
    const n = running.get(userId) ?? 0;
    if (n >= max) return null;
    running.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (running.get(userId) ?? 1) - 1;
      if (left > 0) running.set(userId, left);
      else running.delete(userId);
    };
  };
}

/** Drops expired leases, then adds one if fewer than ARGV[3] remain. */
const ACQUIRE_LUA = `redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[2], ARGV[4])
redis.call('pexpire', KEYS[1], ARGV[5])
return 1`;

interface LeaseClient {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zAdd(key: string, member: { score: number; value: string }, opts: { XX: true }): Promise<unknown>;
  zRem(key: string, member: string): Promise<unknown>;
}

/** Slots as leases in a Redis sorted set per user; while Redis is away, counted on this node. */
function redisSlots(max: number, store: RateLimitStore, logger: Logger): Acquire {
  const client = store.client as LeaseClient;
  const fallback = memorySlots(max);
  return async (userId) => {
    const key = `${store.prefix}:downloads:${userId}`;
    const lease = randomUUID();
    const now = Date.now();
    let won: unknown;
    try {
      won = await client.eval(ACQUIRE_LUA, {
        keys: [key],
        arguments: [String(now), String(now + LEASE_MS), String(max), lease, String(LEASE_MS * 2)],
      });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'download slots counted on this node while Redis is away');
      return fallback(userId);
    }
    if (won !== 1) return null;
    const renew = setInterval(
      () => void client.zAdd(key, { score: Date.now() + LEASE_MS, value: lease }, { XX: true }).catch(() => undefined),
      LEASE_MS / 3,
    );
    renew.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      void client.zRem(key, lease).catch(() => undefined);
    };
  };
}

/**
 * Admission for file downloads reached by a signed link (exports now, attachments next): charged to
 * the verified user's rate limit, and at most `max` at once per user. Refusals are 429s that say why.
 */
export function createDownloadGate(deps: { limiter: RateLimiter; store?: RateLimitStore; logger: Logger; max?: number }) {
  const max = deps.max ?? DOWNLOADS_PER_USER;
  const acquire = deps.store ? redisSlots(max, deps.store, deps.logger) : memorySlots(max);
  return {
    /** Resolves a release to call once the download ends (however it ends); throws a 429 otherwise. */
    async admit(userId: number, res: Response): Promise<() => void> {
      const wait = await deps.limiter.take(userId, DOWNLOAD_COST);
      if (wait > 0) {
        res.set('Retry-After', String(wait));
        throw new AppError('rate_limited', 'Too many downloads; wait a moment and try again');
      }
      const release = await acquire(userId);
      if (!release) {
        res.set('Retry-After', '5');
        throw new AppError('rate_limited', `At most ${max} downloads at a time; wait for one to finish and try again`);
      }
      return release;
    },
  };
}

export type DownloadGate = ReturnType<typeof createDownloadGate>;
