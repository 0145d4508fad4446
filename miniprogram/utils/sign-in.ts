import { loginUrl } from '../services/api';
import { getSession } from '../services/session';
import type { Session } from '../services/session';

/** The record pages a sign-in may return to: a shared card or a notification opens one of these. */
const RETURNABLE = /^\/pages\/(customer-detail|opportunity-detail|task-detail)\/index\?[\w=&%.-]*$/;

/** Where the login page may send the user after sign-in: a record page of this app, nothing else. */
export function returnTarget(next: string | undefined): string | null {
  if (!next) return null;
  let path: string;
  try {
    path = decodeURIComponent(next);
  } catch {
    return null;
  }
  return RETURNABLE.test(path) ? path : null;
}

/** The session, or (signed out) off to the login page, which comes back to `path` after sign-in. */
export function sessionOrLogin(path: string): Session | null {
  const session = getSession();
  if (!session) wx.reLaunch({ url: loginUrl(path) });
  return session;
}
