import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ApiErrorResponse } from '@live-crm/shared-types';
import type { Actor } from './actor.js';
import { AppError, toAppError } from './app-error.js';
import { idempotencyRef, type IdempotencyRef } from './mutation.js';

/** The actor the auth middleware attached; routes behind it always have one. */
export function actorOf(res: Response): Actor {
  const actor = res.locals['actor'] as Actor | undefined;
  if (!actor) throw new AppError('unauthorized', 'Sign in first');
  return actor;
}

/**
 * `Idempotency-Key` bound to a route with no socket twin: the route (method and path under
 * /api/crm) is the command's type, the validated input (not the raw body) its request.
 */
export function idempotencyOf(req: Request, input: unknown): IdempotencyRef | undefined {
  return idempotencyRef(req.get('Idempotency-Key'), { type: `${req.method} ${req.path}`, req: input });
}

/** Positive integer path id; anything else is a 404 rather than a database error. */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  const id = typeof raw === 'string' && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new AppError('not_found', 'No such record');
  return id;
}

export function sendError(res: Response, err: AppError): void {
  const body: ApiErrorResponse = { error: err.toBody() };
  if (err.current !== undefined) body.current = err.current;
  res.status(err.status).json(body);
}

/**
 * A body that could not be read is the client's fault, whatever broke: body-parser marks its own
 * errors as http-errors with a 4xx status (a wrong Content-Encoding, a body that does not decode or
 * is shorter than its Content-Length), sometimes without a `type`. They stay 4xx, in our shape.
 */
function bodyError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number; expose?: boolean } | null;
  const type = e?.type;
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large');
  if (type === 'entity.parse.failed') return new AppError('validation', 'The request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new AppError('validation', 'Unsupported body encoding');
  if (e?.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError('validation', 'The request could not be read (check its encoding, Content-Encoding and Content-Length)');
  }
  return null;
}

/** The one Express error handler: body-parser failures, AppErrors, and everything else as 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appErr = bodyError(err) ?? toAppError(err);
    if (appErr.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    sendError(res, appErr);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new AppError('not_found', `No route for ${req.method} ${req.path}`));
};
