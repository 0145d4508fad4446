import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';

export interface RedisLink {
  adapter: ReturnType<typeof createAdapter>;
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * Pub and sub clients for the Socket.IO Redis adapter. Errors are logged, never thrown: while Redis
 * is away the node keeps serving and the clients reconnect by themselves.
 */
export async function connectRedis(url: string, key: string, logger: Logger): Promise<RedisLink> {
  const pub = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(50 * 2 ** n, 2000) } });
  const sub = pub.duplicate();
  for (const [name, client] of [['pub', pub], ['sub', sub]] as const) {
    client.on('error', (err: Error) => logger.warn({ err: err.message, client: name }, 'redis error'));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key }),
    isReady: () => pub.isReady && sub.isReady,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
