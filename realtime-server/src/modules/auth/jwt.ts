import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface TokenClaims {
  sub: string;
  tid: number;
}

const ALGORITHM = 'HS256' as const;
const TTL_SECONDS = 12 * 3600;
/** Tokens remembered as verified (a few hundred bytes each); the oldest goes first. */
const VERIFIED_MAX = 10_000;

/** HS256 only: verify pins the algorithm, so `alg: none` and RS/HS confusion are refused. */
export function createTokenSigner(secret: string) {
  // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as
  // a PEM public key on every verify, which cost more than the rest of a move's request handling.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  // A signature, once checked, stays good until exp: every REST call re-presents the same token,
  // so a hit skips the HMAC and JSON work and still honours exp. Failures are never remembered.
  const verified = new Map<string, { claims: TokenClaims; expMs: number }>();
  function remember(token: string, claims: TokenClaims, exp: unknown): void {
    if (typeof exp !== 'number') return;
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims, expMs: exp * 1000 });
  }
  return {
    sign(userId: number, tenantId: number, ttlSeconds = TTL_SECONDS): string {
      return jwt.sign({ tid: tenantId }, key, { algorithm: ALGORITHM, subject: String(userId), expiresIn: ttlSeconds });
    },
    verify(token: string): TokenClaims | null {
      const hit = verified.get(token);
      if (hit) {
        if (hit.expMs > Date.now()) return hit.claims;
        verified.delete(token);
        return null;
      }
      try {
        const claims = jwt.verify(token, key, { algorithms: [ALGORITHM] });
        if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims['tid'] !== 'number') return null;
        const out = { sub: claims.sub, tid: claims['tid'] };
        remember(token, out, claims.exp);
        return out;
      } catch {
        return null;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
