/** WeChat's async API shape: success/fail/complete callbacks, or a Promise when none is given. */
export interface Callbacks<S, F = { errMsg: string }> {
  success?: (res: S) => void;
  fail?: (res: F) => void;
  complete?: (res: S | F) => void;
}

/** Listener exceptions are caught and reported, as WeChat does, never thrown into the caller. */
export type ErrorReporter = (where: string, err: unknown) => void;

export function settle<S>(
  opts: Callbacks<S> | undefined,
  report: ErrorReporter,
  name: string,
  outcome: { ok: true; res: S } | { ok: false; errMsg: string },
): Promise<S> | undefined {
  const res = outcome.ok ? outcome.res : { errMsg: outcome.errMsg };
  const hasCallbacks = !!(opts && (opts.success || opts.fail || opts.complete));
  const call = (fn: ((r: never) => void) | undefined): void => {
    if (!fn) return;
    try {
      fn(res as never);
    } catch (err) {
      report(`${name} callback`, err);
    }
  };
  if (outcome.ok) call(opts?.success);
  else call(opts?.fail);
  call(opts?.complete);
  if (hasCallbacks) return undefined;
  return outcome.ok ? Promise.resolve(outcome.res) : Promise.reject(new Error(outcome.errMsg));
}

/** Real WeChat answers callbacks asynchronously; so do we. */
export function later(fn: () => void): void {
  setTimeout(fn, 0);
}
