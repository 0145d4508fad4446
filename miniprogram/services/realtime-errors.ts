import type { ErrorCode } from '@live-crm/shared-types';

/** The server refused a command: its error code, and on a 409 the fresh record (as the REST body's `current`). */
export class CommandError extends Error {
  readonly code: ErrorCode;
  readonly current: unknown;
  constructor(code: ErrorCode, message: string, current?: unknown) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.current = current;
  }
}

export class AckTimeoutError extends Error {
  constructor(event: string) {
    super(`${event}: no answer in time`);
    this.name = 'AckTimeoutError';
  }
}
