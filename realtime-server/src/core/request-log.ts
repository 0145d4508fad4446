import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Actor } from './actor.js';

const REDACTED = '[Redacted]';
/** Headers that carry a credential. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
/** A signed download link authenticates by its `token` query parameter. */
const TOKEN_PARAM = /([?&](?:token|access_token)=)[^&#]*/gi;

export const redactUrl = (url: string): string => url.replace(TOKEN_PARAM, `$1${REDACTED}`);

/** A request id from the load balancer is kept when it looks like one, so its log and ours line up. */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

interface LoggedRequest {
  id: unknown;
  method: string;
  url: string;
  headers: Record<string, unknown>;
  remoteAddress?: string;
}

/**
 * One log line per answered request (pino-http), with the method, the route's URL (a signed
 * link's token replaced), status, time and the signed-in user; credentials never reach the log.
 * Health checks and scrapes are not logged: a load balancer asks every second.
 */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/metrics') },
    // 5xx are logged with their error by the error mapper; here they are a warning, not a second error line.
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
    customProps: (req, res) => {
      const actor = (res as unknown as { locals?: { actor?: Actor } }).locals?.actor;
      return { ip: (req as IncomingMessage & { ip?: string }).ip, ...(actor ? { userId: actor.userId } : {}) };
    },
    serializers: {
      req: (req: LoggedRequest) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, SECRET_HEADERS.has(k) ? REDACTED : v])),
        remoteAddress: req.remoteAddress,
      }),
    },
  });
}
