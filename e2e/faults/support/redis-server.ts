import { connect } from 'node:net';
import { type Child, freePort, spawnChild, waitFor } from './children.js';

/** Answers whether a Redis server on `port` says PONG. */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** A Redis of this test's own (never the machine's shared one), no persistence; restartable on its port. */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: Child;
  const start = async () => {
    child = spawnChild(`redis-${port}`, 'redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await waitFor('redis up', () => ping(port), 10_000, 50);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Kills it (SIGKILL: a crash, not a shutdown). */
    crash: () => child.kill('SIGKILL'),
    start,
    stop: () => child.kill('SIGTERM'),
  };
}

export type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>;
