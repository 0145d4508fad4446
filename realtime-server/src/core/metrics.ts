import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { forbidden } from './app-error.js';

/** What the node reads out at scrape time; each part is wired once the node has built it. */
export interface MetricSources {
  sockets: () => number;
  /** Broadcasts Redis refused since start (0 without Redis). */
  droppedPublishes: () => number;
  remindersSent: () => number;
  pool: () => { size: number; using: number; available: number; waiting: number; max: number } | null;
}

/** Latency buckets (seconds) from a blink to the request timeout. */
const BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * One Prometheus registry per node (never prom-client's global one): two nodes in one test process
 * each count their own. Event-loop lag, heap and GC come from prom-client's default collectors.
 */
export function createMetrics(nodeId: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  let sources: MetricSources | null = null;

  const published = new Counter({
    name: 'livecrm_events_published_total',
    help: 'Committed team events this node published, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  /** A counter mirrored from a running total kept elsewhere, read at scrape time. */
  const mirrored = (name: string, help: string, read: (s: MetricSources) => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = sources ? read(sources) : 0;
        if (now > seen) this.inc(now - seen);
        seen = now;
      },
    });
  };
  mirrored('livecrm_events_dropped_total', 'Broadcasts Redis refused while it was away (phones recover them through sync:resume)', (s) =>
    s.droppedPublishes(),
  );
  mirrored('livecrm_reminders_sent_total', 'Task and follow-up reminders this node fired', (s) => s.remindersSent());
  new Gauge({
    name: 'livecrm_sockets_connected',
    help: 'Socket.IO connections open on this node',
    registers: [registry],
    collect() {
      this.set(sources?.sockets() ?? 0);
    },
  });
  new Gauge({
    name: 'livecrm_db_pool_connections',
    help: 'Database pool: connections by state (using, available, size, max) and callers waiting',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = sources?.pool();
      if (!pool) return;
      for (const state of ['size', 'using', 'available', 'waiting', 'max'] as const) this.set({ state }, pool[state]);
    },
  });
  const commands = new Histogram({
    name: 'livecrm_command_duration_seconds',
    help: 'Socket commands from arrival to ack, by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  let inFlight = 0;
  new Gauge({
    name: 'livecrm_commands_in_flight',
    help: 'Socket commands received and not yet answered',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const requests = new Histogram({
    name: 'livecrm_http_request_duration_seconds',
    help: 'HTTP requests from arrival to the last byte, by method, route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });

  return {
    registry,
    watch(s: MetricSources): void {
      sources = s;
    },
    eventPublished(type: string): void {
      published.inc({ type });
    },
    /** Starts a command's clock; call the answer when its ack goes out (once). */
    commandStarted(command: string): (outcome: 'ok' | 'error') => void {
      const end = commands.startTimer({ command });
      inFlight += 1;
      let done = false;
      return (outcome) => {
        if (done) return;
        done = true;
        inFlight -= 1;
        end({ outcome });
      };
    },
    /** Commands still running: a draining node answers them before it closes their sockets. */
    commandsInFlight: () => inFlight,
    /** Times every request under its route pattern (`/api/crm/customers/:id`), never its raw path. */
    requestTimer: ((req, res, next) => {
      const end = requests.startTimer();
      res.once('finish', () => {
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        end({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` });
      });
      next();
    }) as RequestHandler,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * `GET /metrics`: loopback callers (a Prometheus agent on the host) always; anyone else only with
 * `Authorization: Bearer <METRICS_TOKEN>`. `req.ip` honours TRUST_PROXY, so a request relayed by the
 * load balancer counts as its client's, not as loopback.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  const bearerOk = (header: string | undefined) => {
    if (!expected || !header) return false;
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return (req, res, next) => {
    if (!LOOPBACK.test(req.ip ?? '') && !bearerOk(req.get('authorization'))) {
      next(forbidden('Metrics are served to loopback, or with the metrics token as a bearer'));
      return;
    }
    metrics.registry.metrics().then((text) => {
      res.type(metrics.registry.contentType).send(text);
    }, next);
  };
}
