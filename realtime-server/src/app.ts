import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { rateLimit, type createOriginPolicy } from './core/guards.js';
import { actorOf, errorHandler, notFoundHandler } from './core/http.js';
import type { DownloadGate } from './core/download-gate.js';
import { metricsRoute, type Metrics } from './core/metrics.js';
import type { TrustProxy } from './core/proxy.js';
import type { RateLimiter } from './core/rate-limit.js';
import { requestLog } from './core/request-log.js';
import { activityRoutes } from './modules/activities/activity.routes.js';
import { attachmentRoutes } from './modules/attachments/attachment.routes.js';
import { contactRoutes } from './modules/contacts/contact.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { authRoutes, meRoutes, requireAuth } from './modules/auth/auth.routes.js';
import { communicationRoutes } from './modules/communications/communication.routes.js';
import { customerRoutes } from './modules/customers/customer.routes.js';
import { exportDownloadRoutes, exportRoutes } from './modules/export/export.routes.js';
import { importRoutes } from './modules/imports/import.routes.js';
import { joinRoutes, membersRoutes } from './modules/members/members.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { pipelineRoutes } from './modules/pipeline/pipeline.routes.js';
import { syncRoutes } from './modules/sync/sync.routes.js';
import { tasksRoutes } from './modules/tasks/tasks.routes.js';
import { teamSettingsRoutes } from './modules/ownership/team-settings.routes.js';
import { targetsRoutes } from './modules/targets/targets.routes.js';
import type { Services } from './services.js';

export interface Health {
  ok: boolean;
  node: string;
  db: boolean;
  redis: boolean | null;
}

export interface AppDeps {
  logger: Logger;
  services: Services;
  health: () => Promise<Health>;
  origins: ReturnType<typeof createOriginPolicy>;
  /** One bucket per signed-in user for /api/crm, one per address for sign-in. */
  limiter: RateLimiter;
  /** Admission for signed-link downloads: the link's user's rate limit and concurrent downloads. */
  downloads: DownloadGate;
  /** Express `trust proxy` (TRUST_PROXY): which hops may set X-Forwarded-For and -Proto. */
  trustProxy: TrustProxy;
  /** Base URL signed links are built on (PUBLIC_URL, or this node's own address in development). */
  publicUrl: () => string;
  /** This node's registry: request timings go in, `GET /metrics` reads it out. */
  metrics: Metrics;
  /** Bearer token that opens /metrics to non-loopback callers (METRICS_TOKEN). */
  metricsToken: string | undefined;
  bodyLimit?: string;
}

/** wx.request has no PATCH: the mini program sends POST with `X-HTTP-Method-Override: PATCH`. Nothing else is overridable. */
const patchOverride: RequestHandler = (req, _res, next) => {
  if (req.method === 'POST' && req.get('X-HTTP-Method-Override')?.toUpperCase() === 'PATCH') req.method = 'PATCH';
  next();
};

export function createApp({
  logger,
  services,
  health,
  origins,
  limiter,
  downloads,
  trustProxy,
  publicUrl,
  metrics,
  metricsToken,
  bodyLimit = '64kb',
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(requestLog(logger));
  app.use(metrics.requestTimer);
  // An API and file downloads, no pages: helmet's defaults (no sniffing, no framing, HSTS, a CSP
  // that allows nothing) cost nothing here and protect a browser that opens a link by mistake.
  app.use(helmet());
  app.use(origins.http);
  app.use(patchOverride);
  app.use(express.json({ limit: bodyLimit }));

  app.get('/healthz', async (_req, res) => {
    const h = await health();
    res.status(h.ok ? 200 : 503).json(h);
  });
  app.get('/metrics', metricsRoute(metrics, metricsToken));
  app.use(
    '/api/auth',
    rateLimit(limiter, (_res, req) => `ip:${req.ip}`),
    authRoutes(services.auth),
    joinRoutes(services.invitations),
  );

  // Signed link, no bearer token (wx.downloadFile cannot send one): mounted before the auth router.
  app.use(exportDownloadRoutes(services.exports, downloads, logger));
  const crm = Router();
  crm.use(requireAuth(services.auth));
  crm.use(rateLimit(limiter, (res) => actorOf(res).userId));
  crm.use(pipelineRoutes(services.pipeline));
  crm.use(syncRoutes(services.sync));
  crm.use(tasksRoutes(services.tasks));
  crm.use(notificationsRoutes(services.notifications));
  crm.use(customerRoutes(services.customers));
  crm.use(communicationRoutes(services.communications));
  crm.use(activityRoutes(services.activities));
  crm.use(attachmentRoutes(services.attachments));
  crm.use(contactRoutes(services.contacts));
  crm.use(analyticsRoutes(services.analytics));
  crm.use(exportRoutes(services.exports, publicUrl));
  crm.use(importRoutes(services.imports));
  crm.use(membersRoutes(services.members, services.invitations));
  crm.use(teamSettingsRoutes(services.teamSettings));
  crm.use(targetsRoutes(services.targets));
  app.use('/api/crm', crm);
  app.use('/api/me', requireAuth(services.auth), meRoutes(services.auth));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
