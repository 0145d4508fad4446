import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';

/** `classic`: PUBLISH to every node; `sharded`: SPUBLISH (Redis 7), a channel per room, spread over a Redis cluster's shards. */
export type AdapterKind = 'classic' | 'sharded';

export interface RedisLink {
  adapter: ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter>;
  /** For plain commands (shared rate limits, heartbeats); the subscriber cannot run them. Fails at once while Redis is away. */
  commands: ReturnType<typeof createClient>;
  isReady(): boolean;
  /** Broadcasts Redis refused (it was away); clients recover them through sync:resume. */
  droppedPublishes(): number;
  close(): Promise<void>;
}

const WARN_EVERY_MS = 5000;

/**
 * Pub and sub clients for the Socket.IO Redis adapter. Errors are logged, never thrown: while Redis
 * is away the node keeps serving and the clients reconnect by themselves; the subscriber
 * re-subscribes on reconnect.
 */
export async function connectRedis(url: string, key: string, logger: Logger, kind: AdapterKind = 'classic'): Promise<RedisLink> {
  const socket = { reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 2000) };
  // No offline queue for publishes: while Redis is away they fail at once instead of piling up in
  // memory and bursting out stale later; PostgreSQL has every event and sync:resume replays it.
  const pub = createClient({ url, socket, disableOfflineQueue: true });
  const sub = createClient({ url, socket });
  let lastWarn = 0;
  const warn = (err: unknown, client: string, msg: string) => {
    if (Date.now() - lastWarn < WARN_EVERY_MS) return;
    lastWarn = Date.now();
    logger.warn({ err: err instanceof Error ? err.message : String(err), client }, msg);
  };
  for (const [name, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    client.on('error', (err: Error) => warn(err, name, 'redis error'));
  }

  // The adapter publishes fire-and-forget; a refused publish must not become an unhandled rejection
  // (which would end the process), so it is caught and counted here.
  let dropped = 0;
  const refused = (err: unknown) => {
    dropped += 1;
    warn(err, 'pub', 'broadcast not published; clients will catch up via sync:resume');
    return 0;
  };
  const publish = pub.publish.bind(pub);
  pub.publish = ((...args: Parameters<typeof publish>) => publish(...args).catch(refused)) as typeof pub.publish;
  const sPublish = pub.sPublish.bind(pub);
  pub.sPublish = ((...args: Parameters<typeof sPublish>) => sPublish(...args).catch(refused)) as typeof pub.sPublish;

  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: kind === 'sharded' ? createShardedAdapter(pub, sub, { channelPrefix: key }) : createAdapter(pub, sub, { key }),
    commands: pub,
    isReady: () => pub.isReady && sub.isReady,
    droppedPublishes: () => dropped,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
