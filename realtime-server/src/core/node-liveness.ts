import type { Logger } from 'pino';
import { createTicker, type Ticker } from './ticker.js';

/** The Redis commands liveness needs (the node's command client). */
export interface LivenessRedis {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zRem(key: string, member: string): Promise<number>;
}

export interface LivenessDeps {
  redis: LivenessRedis;
  /** Sorted set shared by the cluster's nodes (under the adapter's key prefix). */
  key: string;
  /** This process: unique per start, so a node restarted under the same NODE_ID still counts as a departure. */
  incarnation: string;
  intervalMs: number;
  /** Told the incarnations that stopped beating since the last beat; a rejection is retried next beat. */
  onDeparted: (incarnations: string[]) => Promise<unknown>;
  logger: Logger;
}

// One round trip, on Redis's clock (nodes' clocks may disagree): beat, then list the living and
// those expired within the last TTL (kept that long so that every node gets to see them go).
const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl * 3)
return { redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf'), redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now) }`;

/**
 * Heartbeats in Redis: every node beats each interval with an expiry of three intervals, and each
 * node notices for itself when one stops beating (a SIGKILL leaves no goodbye): it is listed as
 * expired, or it vanished (a clean exit removes itself).
 */
export function createNodeLiveness({ redis, key, incarnation, intervalMs, onDeparted, logger }: LivenessDeps): Ticker {
  const ttlMs = intervalMs * 3;
  let alive = new Set<string>();
  /** Expired ones already acted on, while Redis still lists them. */
  let handled = new Set<string>();
  let owed = new Set<string>();

  async function beat(): Promise<void> {
    const [living, expired] = (await redis.eval(BEAT, { keys: [key], arguments: [incarnation, String(ttlMs)] })) as [string[], string[]];
    const now = new Set(living);
    for (const id of expired) if (!handled.has(id)) owed.add(id);
    for (const id of alive) if (!now.has(id) && !expired.includes(id)) owed.add(id);
    owed.delete(incarnation);
    alive = now;
    handled = new Set(expired.filter((id) => handled.has(id) || owed.has(id)));
    if (owed.size === 0) return;
    logger.info({ departed: [...owed] }, 'nodes stopped beating');
    await onDeparted([...owed]);
    owed = new Set();
  }

  const ticker = createTicker('node heartbeat', intervalMs, beat, logger, { firstRunMs: 0 });
  return {
    start: () => ticker.start(),
    async stop() {
      await ticker.stop();
      // A clean exit says goodbye at once; the others' next beat notices.
      await redis.zRem(key, incarnation).catch(() => undefined);
    },
  };
}
