import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ExportType } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';

export type ExportFilters = Record<string, string | number | boolean>;
export type ExportLocale = 'zh-CN' | 'en';

/** What a download link is bound to; the signature covers every field. */
export interface ExportClaims {
  userId: number;
  tenantId: number;
  type: ExportType;
  filters: ExportFilters;
  locale: ExportLocale;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export const EXPORT_LINK_TTL_MS = 10 * 60_000;

/**
 * HMAC-SHA256 download tokens, `<payload>.<mac>` in base64url. The key is derived from the JWT secret
 * with a purpose label, so an export token can never pass as a session token or the other way round.
 */
export function createExportSigner(jwtSecret: string, ttlMs = EXPORT_LINK_TTL_MS, now: () => number = Date.now) {
  const key = createHmac('sha256', jwtSecret).update('live-crm/export-download/v1').digest();
  const mac = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

  return {
    ttlMs,
    sign(claims: Omit<ExportClaims, 'exp'>): { token: string; expiresAt: number } {
      const expiresAt = now() + ttlMs;
      const payload = Buffer.from(JSON.stringify({ ...claims, exp: expiresAt })).toString('base64url');
      return { token: `${payload}.${mac(payload).toString('base64url')}`, expiresAt };
    },

    /** 403 for anything not signed by us (tampered, truncated, forged); 410 once a genuine link expired. */
    verify(token: string): ExportClaims {
      const [payload, signature, extra] = token.split('.');
      // Compare the encoded text, not decoded bytes: base64 has spare bits a tamperer could flip.
      const given = Buffer.from(signature ?? '');
      const expected = Buffer.from(mac(payload ?? '').toString('base64url'));
      if (!payload || extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('forbidden', 'This download link is not valid');
      }
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ExportClaims;
      if (!(claims.exp > now())) throw new AppError('gone', 'This download link has expired; export again');
      return claims;
    },
  };
}

export type ExportSigner = ReturnType<typeof createExportSigner>;
