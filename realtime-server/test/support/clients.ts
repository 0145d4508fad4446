import type { LoginResponse } from '@live-crm/shared-types';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** Plain HTTP against a test node, as any client would call it. */
export async function http<T = any>(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  // A photo or a file answers bytes, not JSON: the test gets the text (it checks bytes elsewhere).
  const json = res.headers.get('content-type')?.includes('json') ?? false;
  return { status: res.status, body: (text ? (json ? JSON.parse(text) : text) : null) as T };
}

export async function devLogin(url: string, login: string): Promise<LoginResponse> {
  const res = await http<LoginResponse>(url, 'POST', '/api/auth/dev-login', { body: { login } });
  if (res.status !== 200) throw new Error(`dev-login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logged-in HTTP helper bound to one user. */
export async function signIn(url: string, login: string) {
  const { token, user } = await devLogin(url, login);
  return {
    token,
    user,
    get: <T = any>(path: string) => http<T>(url, 'GET', path, { token }),
    send: <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      http<T>(url, method, path, { token, body, ...(headers ? { headers } : {}) }),
  };
}
