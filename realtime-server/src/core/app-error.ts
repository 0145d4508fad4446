import type { ApiErrorBody, ErrorCode } from '@live-crm/shared-types';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  in_progress: 409,
  duplicate: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  limit: 429,
  unavailable: 503,
  internal: 500,
};

/** The one error type domain code throws; the edges map it to a status or an ack. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** For 409s: the fresh record the client should show instead. */
  readonly current: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; current?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.current = options.current;
  }

  get status(): number {
    return STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do that'): AppError => new AppError('forbidden', message);

/** SQLSTATEs that mean "the database went away", not "the request was wrong". */
const UNAVAILABLE_SQLSTATE = /^(08...|57P01|57P02|57P03|53300)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGE = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable/i;

/**
 * True when the database connection failed, before or in the middle of a transaction (a restart
 * terminates open sessions with 57P01; a dropped socket surfaces as a wrapped pg error).
 */
function isDatabaseUnavailable(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (/^Sequelize(Connection|ConnectionRefused|HostNotFound|ConnectionAcquireTimeout|ConnectionTimedOut|AccessDenied)Error$/.test(name))
    return true;
  // Socket errnos count only inside a database error: an outbound HTTP call has its own handling.
  const fromDatabase = name.startsWith('Sequelize');
  for (let e = err as Record<string, unknown> | null, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = typeof e['code'] === 'string' ? e['code'] : '';
    if (UNAVAILABLE_SQLSTATE.test(code) || (fromDatabase && UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof e['message'] === 'string' && UNAVAILABLE_MESSAGE.test(e['message'])) return true;
    e = (e['parent'] ?? e['original'] ?? e['cause'] ?? null) as Record<string, unknown> | null;
  }
  return false;
}

/** Turns anything thrown into an AppError; unknown errors become `internal` (or `unavailable` when the database is down). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new AppError('unavailable', 'The database is unavailable; please retry shortly');
  return new AppError('internal', 'Something went wrong on our side');
}
