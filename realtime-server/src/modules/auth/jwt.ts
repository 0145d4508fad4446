import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface TokenClaims {
  /** The user id, canonical decimal (no sign, leading zero, space or fraction). */
  sub: string;
  tid: number;
  /** Expiry, seconds since the epoch; a token without one is refused. */
  exp: number;
}

/** A user id as `sign` writes it: 1..2^31-1, no leading zeros, nothing around it. */
const CANONICAL_SUB = /^[1-9]\d{0,9}$/;
const isCanonicalSub = (sub: unknown): sub is string => typeof sub === 'string' && CANONICAL_SUB.test(sub) && Number(sub) <= 2_147_483_647;

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
  const verified = new Map<string, TokenClaims>();
  function remember(token: string, claims: TokenClaims): void {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
  }
  return {
    sign(userId: number, tenantId: number, ttlSeconds = TTL_SECONDS): string {
      return jwt.sign({ tid: tenantId }, key, { algorithm: ALGORITHM, subject: String(userId), expiresIn: ttlSeconds });
    },
    verify(token: string): TokenClaims | null {
      const hit = verified.get(token);
      if (hit) {
        if (hit.exp * 1000 > Date.now()) return hit;
        verified.delete(token);
        return null;
      }
      try {
        const claims = jwt.verify(token, key, { algorithms: [ALGORITHM] });
        // jsonwebtoken accepts a token without exp as never expiring: ours always carry one.
        if (typeof claims !== 'object' || !isCanonicalSub(claims.sub) || typeof claims['tid'] !== 'number') return null;
        if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return null;
        const out: TokenClaims = { sub: claims.sub, tid: claims['tid'], exp: claims.exp };
        remember(token, out);
        return out;
      } catch {
        return null;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
