import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './core/proxy.js';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /** Prefix of the Socket.IO adapter's Redis channels; tests give each file its own. */
  REDIS_KEY: z.string().min(1).default('socket.io'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  AUTH_DEV_LOGIN: flag.optional(),
  SEED_DEMO: flag.optional(),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  TZ_DEFAULT: z.string().default('Asia/Shanghai'),
  /** Subscription message template for task reminders; unset: reminders stay in-app only. */
  WECHAT_REMINDER_TEMPLATE_ID: z.string().min(1).optional(),
  /** How often each node looks for due reminders; 0 turns the scheduler off. */
  REMINDER_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** How often each node returns idle customers to the pool (and warns their owners); 0 turns it off. */
  RECYCLE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Most reminders one node claims per transaction. */
  REMINDER_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  NODE_ID: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  /** Days of team_events kept: sync:resume, the feed, and stage-conversion analytics (365d view) read them. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  /** At most this many envelopes replayed per team by one sync:resume; beyond it, reset. */
  SYNC_MAX_EVENTS: z.coerce.number().int().min(1).default(5000),
  /** Hours an Idempotency-Key is remembered; a retry later than this runs again. */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
  /** How often each node prunes old team_events and idempotency keys; 0 turns it off. */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** With Redis: how often each node checks its teams' heads for events whose publish died with a node; 0 turns it off. */
  HEAD_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** With Redis: each node's heartbeat; one silent for three beats counts as gone (its viewers are dropped). 0 turns it off. */
  NODE_HEARTBEAT_MS: z.coerce.number().int().min(0).default(3000),
  CORS_ORIGINS: z.string().default(''),
  RATE_LIMIT_PER_SEC: z.coerce.number().positive().default(20),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(60),
  MAX_SOCKETS_PER_USER: z.coerce.number().int().positive().default(10),
  /** Base URL of signed links (exports); required in production. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  TRUST_PROXY: z.string().default('loopback').transform(parseTrustProxy),
  /** Bearer token for GET /metrics from anywhere; loopback may always scrape. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** SIGTERM: drain gracefully, cut what is still open shortly before this, and be gone by it. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(1000).default(10_000),
  /**
   * Pooled database connections unused this long are closed. Short idle times made the pool shrink
   * after every burst and grow again under the next overlap, and the request that opened a new
   * connection waited for it (bench/results/2026-12-05-light-load-stall.md).
   */
  DATABASE_POOL_IDLE_MS: z.coerce.number().int().min(1000).default(600_000),
  /** Socket.IO Redis adapter: `classic` PUBLISH, or `sharded` SPUBLISH (Redis 7, scales with a Redis cluster). */
  REDIS_ADAPTER: z.enum(['classic', 'sharded']).default('classic'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  nodeId: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisKey: string;
  redisAdapter: Env['REDIS_ADAPTER'];
  poolIdleMs: number;
  jwtSecret: string | undefined;
  devLogin: boolean;
  seedDemo: boolean | undefined;
  wechat: { appId: string | undefined; secret: string | undefined; apiBase: string };
  timeZone: string;
  reminders: { intervalMs: number; batch: number; templateId: string | undefined };
  recycle: { intervalMs: number };
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  eventRetentionDays: number;
  syncMaxEvents: number;
  retention: { intervalMs: number; idempotencyHours: number };
  /** Crash healing across nodes (Redis only): head check and node heartbeat intervals. */
  healing: { headCheckMs: number; heartbeatMs: number };
  corsOrigins: string[];
  rateLimit: { perSecond: number; burst: number };
  maxSocketsPerUser: number;
  /** Signed links are built on this, never on a request's Host. */
  publicUrl: string | undefined;
  trustProxy: TrustProxy;
  metricsToken: string | undefined;
  shutdownDeadlineMs: number;
}

/** Why a signing secret is too easy to guess, or null; production refuses to start with such a secret. */
export function weakSecretReason(secret: string): string | null {
  if (secret.length < 32) return 'must be at least 32 characters';
  if (new Set(secret).size < 12) return 'uses too few different characters; generate one, e.g. `openssl rand -base64 48`';
  // "abcabcabc…" or "passwordpassword…": a short unit repeated is as weak as the unit.
  if (/^(.{1,16}?)\1+.{0,16}$/s.test(secret)) return 'is a short pattern repeated; generate one, e.g. `openssl rand -base64 48`';
  return null;
}

/** Parses the environment once at start; a bad value stops the process with a readable message. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    throw new Error('Invalid configuration:\n  PUBLIC_URL: required in production (signed download links are built on it)');
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required in production');
  }
  const weak = e.NODE_ENV === 'production' && e.JWT_SECRET ? weakSecretReason(e.JWT_SECRET) : null;
  if (weak) throw new Error(`Invalid configuration:\n  JWT_SECRET: ${weak}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    nodeId: e.NODE_ID ?? `node-${process.pid}`,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKey: e.REDIS_KEY,
    redisAdapter: e.REDIS_ADAPTER,
    poolIdleMs: e.DATABASE_POOL_IDLE_MS,
    jwtSecret: e.JWT_SECRET,
    devLogin: e.AUTH_DEV_LOGIN ?? e.NODE_ENV !== 'production',
    seedDemo: e.SEED_DEMO,
    wechat: { appId: e.WECHAT_APPID, secret: e.WECHAT_SECRET, apiBase: e.WECHAT_API_BASE },
    reminders: { intervalMs: e.REMINDER_INTERVAL_MS, batch: e.REMINDER_BATCH, templateId: e.WECHAT_REMINDER_TEMPLATE_ID },
    recycle: { intervalMs: e.RECYCLE_INTERVAL_MS },
    timeZone: e.TZ_DEFAULT,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    eventRetentionDays: e.EVENT_RETENTION_DAYS,
    syncMaxEvents: e.SYNC_MAX_EVENTS,
    retention: { intervalMs: e.RETENTION_INTERVAL_MS, idempotencyHours: e.IDEMPOTENCY_RETENTION_HOURS },
    healing: { headCheckMs: e.HEAD_CHECK_INTERVAL_MS, heartbeatMs: e.NODE_HEARTBEAT_MS },
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SEC, burst: e.RATE_LIMIT_BURST },
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
  };
}
