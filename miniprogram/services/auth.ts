import type { DevLoginsResponse, JoinRequest, LoginResponse } from '@live-crm/shared-types';
import { api, isApiError } from './api';
import { saveSession } from './session';
import type { Session } from './session';

export type DevLogin = DevLoginsResponse['logins'][number];

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error(res.errMsg))),
      fail: (res) => reject(new Error(res.errMsg)),
    });
  });
}

function keep(res: LoginResponse): Session {
  const session = { token: res.token, user: res.user };
  saveSession(session);
  return session;
}

/** wx.login code -> server (code2Session there; the session_key never reaches the phone). */
export async function loginWithWechat(): Promise<Session> {
  const code = await wxLoginCode();
  return keep(await api.post<LoginResponse>('/api/auth/wechat-login', { code }));
}

/**
 * Joins a team with an invitation's code (a shared card opens pages/join with it): wx.login's code
 * goes to the server with the name the team will see. A member already signed in elsewhere is
 * signed in as they are.
 */
export async function joinWithInvitation(code: string, name: string): Promise<Session> {
  const body: JoinRequest = { code, wxCode: await wxLoginCode(), name };
  return keep(await api.post<LoginResponse>('/api/auth/join', body));
}

/** Demo accounts, or [] when the server does not allow dev login. */
export async function listDevLogins(): Promise<DevLogin[]> {
  try {
    const res = await api.get<DevLoginsResponse>('/api/auth/dev-logins');
    return Array.isArray(res.logins) ? res.logins : [];
  } catch (err) {
    if (isApiError(err) && (err.code === 'forbidden' || err.code === 'not_found')) return [];
    throw err;
  }
}

export async function loginAsDevUser(login: string): Promise<Session> {
  return keep(await api.post<LoginResponse>('/api/auth/dev-login', { login }));
}
