import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from './app-error.js';
import { sendError } from './http.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * Browser origins must be on the allow-list. The mini program sends no Origin, so requests
 * without one pass. With an empty list, enforcement is on in production only.
 */
export function createOriginPolicy(allowed: string[], enforce: boolean) {
  const set = new Set(allowed);
  const ok = (origin: string | undefined) => origin === undefined || set.has(origin) || (!enforce && set.size === 0);
  return {
    ok,
    http: ((req, res, next) => {
      const origin = req.get('Origin');
      if (!ok(origin)) return sendError(res, new AppError('forbidden', `Origin ${origin} is not allowed`));
      if (origin && set.has(origin)) {
        res.set({
          'Access-Control-Allow-Origin': origin,
          Vary: 'Origin',
          'Access-Control-Allow-Headers': 'authorization,content-type,idempotency-key',
          'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE',
        });
        if (req.method === 'OPTIONS') return void res.status(204).end();
      }
      next();
    }) satisfies RequestHandler,
    socket: (req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) => cb(null, ok(req.headers.origin)),
  };
}

/** 429 with Retry-After once a caller's bucket is empty; keyed by user behind auth, else by address. */
export function rateLimit(
  limiter: RateLimiter,
  keyOf: (res: Parameters<RequestHandler>[1], req: Parameters<RequestHandler>[0]) => string | number,
): RequestHandler {
  return (req, res, next) => {
    limiter.take(keyOf(res, req)).then((wait) => {
      if (wait === 0) return next();
      res.set('Retry-After', String(wait));
      sendError(res, new AppError('rate_limited', 'Too many requests; slow down and retry shortly'));
    }, next);
  };
}
