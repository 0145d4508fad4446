import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface TokenClaims {
  sub: string;
  tid: number;
}

const ALGORITHM = 'HS256' as const;
const TTL_SECONDS = 12 * 3600;

/** HS256 only: verify pins the algorithm, so `alg: none` and RS/HS confusion are refused. */
export function createTokenSigner(secret: string) {
  // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as
  // a PEM public key on every verify, which cost more than the rest of a move's request handling.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    sign(userId: number, tenantId: number, ttlSeconds = TTL_SECONDS): string {
      return jwt.sign({ tid: tenantId }, key, { algorithm: ALGORITHM, subject: String(userId), expiresIn: ttlSeconds });
    },
    verify(token: string): TokenClaims | null {
      try {
        const claims = jwt.verify(token, key, { algorithms: [ALGORITHM] });
        if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims['tid'] !== 'number') return null;
        return { sub: claims.sub, tid: claims['tid'] };
      } catch {
        return null;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
