import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeLiveness } from '../../src/core/node-liveness.js';
import type { Ticker } from '../../src/core/ticker.js';
import { createLogger } from '../../src/logger.js';
import { REDIS_URL } from '../support/nodes.js';

const BEAT_MS = 100;
const logger = createLogger('silent', 'test');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node's heartbeat on a Redis connection of its own; `crash` cuts that connection without a goodbye. */
async function node(key: string, incarnation: string) {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const departed: string[][] = [];
  const liveness: Ticker = createNodeLiveness({
    redis,
    key,
    incarnation,
    intervalMs: BEAT_MS,
    logger,
    onDeparted: async (ids) => {
      departed.push(ids);
    },
  });
  liveness.start();
  let open = true;
  const crash = async () => {
    if (!open) return;
    open = false;
    await redis.disconnect();
    await liveness.stop();
  };
  cleanup.push(async () => {
    if (open) {
      open = false;
      await liveness.stop();
      await redis.quit();
    }
  });
  return {
    departed,
    crash,
    stop: async () => {
      open = false;
      await liveness.stop();
      await redis.quit();
    },
  };
}

const freshKey = () => `livecrm-test-${randomBytes(6).toString('hex')}:nodes`;

describe('node liveness in Redis', () => {
  it('a node that stops beating without a goodbye is reported once by a survivor, after about three beats', async () => {
    const key = freshKey();
    const a = await node(key, 'a');
    const b = await node(key, 'b');
    await sleep(3 * BEAT_MS);
    expect(b.departed).toEqual([]);
    await a.crash();
    const crashedAt = Date.now();
    while (b.departed.length === 0 && Date.now() - crashedAt < 50 * BEAT_MS) await sleep(10);
    expect(b.departed).toEqual([['a']]);
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(2 * BEAT_MS);
    await sleep(6 * BEAT_MS);
    expect(b.departed, 'reported once, not on every beat').toEqual([['a']]);
  });

  it('a node that died before the survivor ever saw it alive is still reported', async () => {
    const key = freshKey();
    const a = await node(key, 'a');
    await sleep(BEAT_MS / 2);
    await a.crash();
    // Past a's expiry (three beats after its only beat), before Redis forgets it.
    await sleep(3.5 * BEAT_MS);
    const b = await node(key, 'b');
    const startedAt = Date.now();
    while (b.departed.length === 0 && Date.now() - startedAt < 50 * BEAT_MS) await sleep(10);
    expect(b.departed).toEqual([['a']]);
  });

  it("a clean stop is reported at the survivor's next beat", async () => {
    const key = freshKey();
    const a = await node(key, 'a');
    const b = await node(key, 'b');
    await sleep(2 * BEAT_MS);
    await a.stop();
    await sleep(2 * BEAT_MS);
    expect(b.departed).toEqual([['a']]);
  });
});
