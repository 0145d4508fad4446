import { multipartBody } from '../../../test-support/wx/upload.js';
import { http, type HttpResult } from '../support/clients.js';
import type { Person } from './fixture.js';
import type { Req } from './route-catalog.js';

export function pathOf(req: Req): string {
  const qs = req.query ? new URLSearchParams(req.query).toString() : '';
  return qs ? `${req.path}?${qs}` : req.path;
}

/** A file upload's body as wx.uploadFile frames it (the one file in the field `file`). */
export function framed(req: Req): { body: string; contentType: string } | null {
  if (!req.multipart) return null;
  const { body, contentType } = multipartBody(
    {},
    { name: 'file', fileName: req.multipart.fileName, bytes: Buffer.from(req.multipart.text) },
  );
  return { body: body.toString('utf8'), contentType };
}

/** Calls a catalog request as whoever holds `token` (none: no Authorization header). */
export async function call(
  url: string,
  method: string,
  req: Req,
  token?: string,
  headers?: Record<string, string>,
): Promise<HttpResult<any>> {
  const upload = framed(req);
  if (upload) {
    return http(url, method, pathOf(req), {
      ...(token ? { token } : {}),
      raw: upload.body,
      headers: { 'content-type': upload.contentType, ...(headers ?? {}) },
    });
  }
  if (req.upload) {
    const form = new FormData();
    form.append('file', new Blob([req.upload]), 'photo.png');
    const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const res = await fetch(`${url}${pathOf(req)}`, { method, headers: { ...auth, ...(headers ?? {}) }, body: form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  return http(url, method, pathOf(req), {
    ...(token ? { token } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(headers ? { headers } : {}),
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (key, value) pair in a JSON document, at any depth. */
export function* entries(value: unknown): Generator<[string, unknown]> {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        yield [k, inner];
        stack.push(inner);
      }
    }
  }
}

/**
 * Why an outsider's successful answer is a leak, or null: it names a team or tenant that is not
 * theirs, or carries the marker planted in East's records.
 */
export function leakIn(body: unknown, who: Person, marker: string): string | null {
  if (JSON.stringify(body).includes(marker)) return "contains East's marker";
  const teams = who.user.role === 'admin' ? null : [who.user.teamId];
  for (const [k, v] of entries(body)) {
    if (k === 'tenantId' && v !== who.user.tenantId) return `tenantId ${String(v)}`;
    if (k === 'teamId' && teams && v !== null && !teams.includes(v as number)) return `teamId ${String(v)}`;
  }
  return null;
}

/** Keys whose value changes from one call to the next however the scope is set. */
const VOLATILE = new Set(['generatedAt', 'downloadUrl', 'expiresAt', 'now', 'at']);

export function stable(value: unknown): Json {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !VOLATILE.has(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value as Json;
}

export const isClientError = (status: number): boolean => status >= 400 && status < 500;
