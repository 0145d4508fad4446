import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Database } from '@live-crm/models';
import { createApp, type Health } from './app.js';
import { createOriginPolicy } from './core/guards.js';
import { createNodeLiveness } from './core/node-liveness.js';
import { createDownloadGate } from './core/download-gate.js';
import { createMetrics, type Metrics } from './core/metrics.js';
import { createRateLimiter } from './core/rate-limit.js';
import type { Config } from './config.js';
import { createIo, type CrmServer } from './io.js';
import { createReminderScheduler, type ReminderScheduler } from './modules/notifications/reminder.scheduler.js';
import { createRecycleScheduler, type RecycleScheduler } from './modules/ownership/recycle.scheduler.js';
import { pipelineSocket } from './modules/pipeline/pipeline.socket.js';
import { poolSocket } from './modules/ownership/pool.socket.js';
import { presenceSocket } from './modules/presence/presence.socket.js';
import { recountLocalPresence } from './modules/presence/presence.viewers.js';
import { createHeadCheck, type HeadCheck } from './modules/sync/head-check.scheduler.js';
import { createRetentionScheduler, type RetentionScheduler } from './modules/sync/retention.scheduler.js';
import { syncSocket } from './modules/sync/sync.socket.js';
import { connectRedis, type RedisLink } from './redis.js';
import { createServices, type Services } from './services.js';

export interface NodeDeps {
  config: Config;
  db: Database;
  logger: Logger;
  jwtSecret: string;
}

export interface CrmNode {
  http: HttpServer;
  /** The Express app (tests walk its router to list every route). */
  app: Express;
  io: CrmServer;
  services: Services;
  /** Runs on every node; the database claim makes each reminder fire once across nodes. */
  reminders: ReminderScheduler;
  /** Runs on every node; returns idle customers to the pool once, whichever node gets there. */
  recycle: RecycleScheduler;
  /** Prunes team_events beyond retention and old Idempotency-Keys, on every node. */
  retention: RetentionScheduler;
  /** With Redis: re-sends committed events whose publish died with another node (null: single node). */
  heads: HeadCheck | null;
  /** This node's Prometheus registry (GET /metrics). */
  metrics: Metrics;
  /** Listens on config.port (0 picks a free one) and answers the bound port. */
  listen(): Promise<number>;
  /**
   * Drains: stop accepting, finish in-flight requests, close sockets, then Redis. After
   * `cutAfterMs`, connections still open (a stuck upload, a slow reader) are cut.
   */
  close(opts?: { cutAfterMs?: number }): Promise<void>;
}

/** Builds one server node: Express + Socket.IO on one HTTP server, Redis adapter when configured. */
export async function createNode({ config, db, logger, jwtSecret }: NodeDeps): Promise<CrmNode> {
  const publicUrl = (): string => config.publicUrl ?? ownUrl(config.host, http);
  const services = createServices(config, db, jwtSecret, undefined, publicUrl, logger);
  const redis: RedisLink | null = config.redisUrl
    ? await connectRedis(config.redisUrl, config.redisKey, logger, config.redisAdapter)
    : null;
  const metrics = createMetrics(config.nodeId);

  const health = async (): Promise<Health> => {
    const dbOk = await db.sequelize.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const redisOk = redis ? redis.isReady() : null;
    return { ok: dbOk && redisOk !== false, node: config.nodeId, db: dbOk, redis: redisOk };
  };

  const origins = createOriginPolicy(config.corsOrigins, config.env === 'production');
  const store = redis ? { client: redis.commands, prefix: config.redisKey } : undefined;
  const limiter = createRateLimiter(config.rateLimit, store);
  const downloads = createDownloadGate({ limiter, logger, ...(store ? { store } : {}) });
  const app = createApp({
    logger,
    services,
    health,
    origins,
    limiter,
    downloads,
    trustProxy: config.trustProxy,
    publicUrl,
    metrics,
    metricsToken: config.metricsToken,
  });
  const http = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 10_000 }, app);
  const io = createIo(http, {
    logger,
    auth: services.auth,
    bus: services.bus,
    rights: services.rights,
    allowRequest: origins.socket,
    limiter,
    metrics,
    maxSocketsPerUser: config.maxSocketsPerUser,
    modules: [
      pipelineSocket(services.pipeline),
      syncSocket(services.sync),
      poolSocket(services.customers),
      presenceSocket({ customer: services.customers.reachable }, { clustered: Boolean(redis) }),
    ],
    ...(redis ? { adapter: redis.adapter } : {}),
  });
  const reminders = createReminderScheduler({
    db,
    notifications: services.notifications,
    wechat: services.wechat,
    bus: services.bus,
    logger,
    intervalMs: config.reminders.intervalMs,
    batch: config.reminders.batch,
    templateId: config.reminders.templateId,
    defaultTimeZone: config.timeZone,
  });
  reminders.start();
  const recycle = createRecycleScheduler({
    db,
    owners: services.customers.owners,
    notifications: services.notifications,
    bus: services.bus,
    logger,
    intervalMs: config.recycle.intervalMs,
  });
  recycle.start();
  const retention = createRetentionScheduler({ sync: services.sync, logger, intervalMs: config.retention.intervalMs });
  retention.start();
  const healing = redis ? startHealing(io, redis, services, config, logger) : null;
  services.bus.onPublish(({ envelope }) => metrics.eventPublished(envelope.type));
  metrics.watch({
    sockets: () => io.engine.clientsCount,
    droppedPublishes: () => redis?.droppedPublishes() ?? 0,
    remindersSent: () => reminders.fired(),
    pool: () => poolUse(db),
  });

  return {
    http,
    app,
    io,
    services,
    reminders,
    recycle,
    retention,
    heads: healing?.heads ?? null,
    metrics,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve((http.address() as AddressInfo).port));
      }),
    async close({ cutAfterMs }: { cutAfterMs?: number } = {}) {
      const cut =
        cutAfterMs === undefined
          ? null
          : setTimeout(() => {
              logger.warn({ afterMs: cutAfterMs }, 'drain deadline: cutting connections still open');
              http.closeAllConnections();
            }, cutAfterMs);
      // Stop accepting first; requests and socket commands already in flight are answered before the sockets close.
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // A keep-alive connection (the balancer's) goes idle once its request is answered: close it then, not at keepAliveTimeout.
      const sweep = setInterval(() => http.closeIdleConnections(), 50);
      http.closeIdleConnections();
      await Promise.all([reminders.stop(), recycle.stop(), retention.stop(), healing?.stop(), services.imports.drain()]);
      const giveUpAt = Date.now() + (cutAfterMs ?? 5000);
      while (metrics.commandsInFlight() > 0 && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 10));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await httpClosed;
      clearInterval(sweep);
      if (cut) clearTimeout(cut);
      await redis?.close();
    },
  };
}

/** The Sequelize pool's counters (sequelize-pool), read at scrape time. */
function poolUse(db: Database) {
  const pool = (
    db.sequelize.connectionManager as unknown as { pool?: Partial<Record<'size' | 'using' | 'available' | 'waiting' | 'maxSize', number>> }
  ).pool;
  if (typeof pool?.size !== 'number') return null;
  return { size: pool.size, using: pool.using ?? 0, available: pool.available ?? 0, waiting: pool.waiting ?? 0, max: pool.maxSize ?? 0 };
}

/** Development without PUBLIC_URL: this node's configured host and bound port, never a client's Host header. */
function ownUrl(host: string, http: HttpServer): string {
  const address = http.address() as AddressInfo | null;
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${address?.port ?? 0}`;
}

/** What a SIGKILLed node cannot clean up, the survivors do: its viewers, and events it committed but never published. */
function startHealing(io: CrmServer, redis: RedisLink, services: Services, config: Config, logger: Logger) {
  const heads = createHeadCheck({
    io,
    bus: services.bus,
    sync: services.sync,
    cluster: redis,
    logger,
    intervalMs: config.healing.headCheckMs,
  });
  const liveness = createNodeLiveness({
    redis: redis.commands,
    key: `${config.redisKey}:nodes`,
    incarnation: `${config.nodeId}:${randomUUID()}`,
    intervalMs: config.healing.heartbeatMs,
    logger,
    onDeparted: () => recountLocalPresence(io),
  });
  heads.start();
  liveness.start();
  return {
    heads,
    stop: () => Promise.all([heads.stop(), liveness.stop()]),
  };
}
