/** Error codes shared by REST error bodies and socket acks. */
export type ErrorCode =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A twin of this request (same Idempotency-Key) is still running: retry shortly, it is not a refusal. */
  | 'in_progress'
  | 'duplicate'
  | 'payload_too_large'
  | 'gone'
  | 'rate_limited'
  /** A pool rule refused it (claims per day, customers held): 429, not a retry-later. */
  | 'limit'
  | 'unavailable'
  | 'internal';

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Every REST error answers `{ error }`; a 409 also carries `current`, the fresh record. */
export interface ApiErrorResponse<TCurrent = unknown> {
  error: ApiErrorBody;
  current?: TCurrent;
}
