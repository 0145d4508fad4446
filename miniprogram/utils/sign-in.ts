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
