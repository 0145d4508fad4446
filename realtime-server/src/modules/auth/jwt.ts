import jwt from 'jsonwebtoken';

export interface TokenClaims {
  sub: string;
  tid: number;
}

const ALGORITHM = 'HS256' as const;
const TTL_SECONDS = 12 * 3600;

/** HS256 only: verify pins the algorithm, so `alg: none` and RS/HS confusion are refused. */
export function createTokenSigner(secret: string) {
  return {
    sign(userId: number, tenantId: number, ttlSeconds = TTL_SECONDS): string {
      return jwt.sign({ tid: tenantId }, secret, { algorithm: ALGORITHM, subject: String(userId), expiresIn: ttlSeconds });
    },
    verify(token: string): TokenClaims | null {
      try {
        const claims = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
        if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims['tid'] !== 'number') return null;
        return { sub: claims.sub, tid: claims['tid'] };
      } catch {
        return null;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
