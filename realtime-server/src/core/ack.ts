import type { Logger } from 'pino';
import type { Ack } from '@live-crm/shared-types';
import type { Actor } from './actor.js';
import { toAppError } from './app-error.js';

/**
 * The one socket ack wrapper: runs a command handler, answers `{ ok, data }` or `{ ok: false, error }`,
 * and never lets a handler's failure escape into Socket.IO.
 */
export function handleCommand<P, T>(logger: Logger, actor: Actor, run: (actor: Actor, payload: P) => Promise<T>) {
  return (payload: P, ack?: (res: Ack<T>) => void): void => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    run(actor, payload).then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => {
        const appErr = toAppError(err);
        if (appErr.status >= 500) logger.error({ err, userId: actor.userId }, 'socket command failed');
        reply(
          appErr.current === undefined
            ? { ok: false, error: appErr.toBody() }
            : { ok: false, error: appErr.toBody(), current: appErr.current },
        );
      },
    );
  };
}
