import type { User } from '@live-crm/shared-types';

/** The signed-in user and their token, kept in storage so a relaunch stays signed in. */
export interface Session {
  token: string;
  user: User;
}

const SESSION_KEY = 'liveCrm.session';
const clearedListeners = new Set<() => void>();

function isSession(value: unknown): value is Session {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Session>;
  return typeof v.token === 'string' && v.token.length > 0 && typeof v.user?.id === 'number';
}

export function getSession(): Session | null {
  const stored: unknown = wx.getStorageSync(SESSION_KEY);
  return isSession(stored) ? stored : null;
}

export function getToken(): string | null {
  return getSession()?.token ?? null;
}

export function saveSession(session: Session): void {
  wx.setStorageSync(SESSION_KEY, session);
}

export function clearSession(): void {
  wx.removeStorageSync(SESSION_KEY);
  for (const listener of clearedListeners) listener();
}

/** Lets the realtime client drop its socket and sequence memory on sign-out without a circular import. */
export function onSessionCleared(listener: () => void): () => void {
  clearedListeners.add(listener);
  return () => clearedListeners.delete(listener);
}
