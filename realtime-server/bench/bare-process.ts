/**
 * The bare limit: a plain Socket.IO 4 server with the same Redis adapter and engine options as a
 * Live CRM node, forwarding a client's message to its room with no auth, validation or database.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { connectRedis } from '../src/redis.js';
import { serve } from './ipc.js';
import { cpuProfiler, procStats } from './proc-stats.js';

const redisUrl = process.env['REDIS_URL'];
const redisKey = process.env['REDIS_KEY'];
if (!redisUrl || !redisKey) throw new Error('bare-process needs REDIS_URL and REDIS_KEY');
// The same adapter kind as our nodes in this phase (classic PUBLISH or sharded SPUBLISH).
const adapterKind = process.env['REDIS_ADAPTER'] === 'sharded' ? 'sharded' : 'classic';
const redis = await connectRedis(redisUrl, redisKey, pino({ level: 'warn' }), adapterKind);

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  maxHttpBufferSize: 64 * 1024,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  adapter: redis.adapter,
});

io.on('connection', (socket) => {
  const room = String((socket.handshake.auth as { room?: unknown }).room ?? 'lobby');
  void socket.join(room);
  socket.on('fwd', (envelope: unknown, ack?: (res: { ok: true }) => void) => {
    io.to(room).emit('opportunity:moved', envelope);
    if (typeof ack === 'function') ack({ ok: true });
  });
});

const port = await new Promise<number>((resolve) => {
  http.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => resolve((http.address() as AddressInfo).port));
});

serve(
  {
    stats: ({ collect }: { collect?: boolean }) => procStats(io.engine.clientsCount, collect),
    ...cpuProfiler(),
    async stop() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis.close();
      setImmediate(() => process.exit(0));
    },
  },
  { port },
);
