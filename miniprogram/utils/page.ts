import { t } from '../i18n/index';
import type { MessageKey } from '../i18n/index';
import { isApiError } from '../services/api';

/** A tap on an element carrying `data-id`. */
export type TapEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string | number }>;

export function idFrom(e: TapEvent): number {
  return Number(e.currentTarget.dataset.id);
}

/** What a person should read for a failed call, in their language. */
export function errorText(err: unknown): string {
  if (!isApiError(err)) return t('error.generic');
  const known: Partial<Record<typeof err.code, MessageKey>> = {
    network: 'error.network',
    unauthorized: 'error.unauthorized',
    forbidden: 'error.forbidden',
    not_found: 'error.not_found',
    conflict: 'error.conflict',
    validation: 'error.validation',
    rate_limited: 'error.rate_limited',
    limit: 'error.limit',
  };
  const key = known[err.code];
  return key ? t(key) : t('error.generic');
}

/** The server will not show this record (deleted, another team's or tenant's): retrying cannot help. */
export function isMissing(err: unknown): boolean {
  return isApiError(err) && (err.code === 'not_found' || err.code === 'forbidden');
}

/** Page options arrive as strings; a missing or malformed id is null. */
export function numberParam(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * State per page instance, kept outside `data` so it is never sent to the view:
 * `const stateOf = pageState(() => ({ ... }))`, then `stateOf(this)` in the page's methods.
 */
export function pageState<S extends object>(init: () => S): (page: object) => S {
  const states = new WeakMap<object, S>();
  return (page) => {
    let state = states.get(page);
    if (!state) {
      state = init();
      states.set(page, state);
    }
    return state;
  };
}
