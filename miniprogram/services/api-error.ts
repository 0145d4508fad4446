import type { ApiErrorResponse, ErrorCode } from '@live-crm/shared-types';

export type ApiErrorCode = ErrorCode | 'network';

/** The same request, sent again unchanged, may well succeed: no answer, a busy or failing server, a twin still running. */
const RETRYABLE: ReadonlySet<ApiErrorCode> = new Set<ApiErrorCode>(['network', 'in_progress', 'rate_limited', 'unavailable', 'internal']);

/**
 * The one failure of a server call, over REST or a socket ack alike: the contract's code and message,
 * `current` (the fresh record a 409 carries) and `details`. Decisions go by `code`, never by the text.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;
  readonly current: unknown;

  constructor(code: ApiErrorCode, message: string, extra: { details?: unknown; current?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = extra.details;
    this.current = extra.current;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** A refusal body (REST `{ error, current }` or a socket ack's `{ ok: false, error, current }`) as an ApiError. */
export function errorFromBody(data: unknown, fallback: { code: ApiErrorCode; message: string }): ApiError {
  const body = (data && typeof data === 'object' ? data : {}) as Partial<ApiErrorResponse>;
  return new ApiError(body.error?.code ?? fallback.code, body.error?.message ?? fallback.message, {
    ...(body.error?.details === undefined ? {} : { details: body.error.details }),
    ...(body.current === undefined ? {} : { current: body.current }),
  });
}

/**
 * An HTTP failure. Without the contract's body the server's error mapper did not answer (a gateway,
 * an expired download link): a 5xx is worth retrying, anything else is not.
 */
export function errorFromResponse(status: number, data: unknown): ApiError {
  return errorFromBody(data, { code: status >= 500 ? 'unavailable' : 'internal', message: `HTTP ${status}` });
}

export const networkError = (message: string): ApiError => new ApiError('network', message);
