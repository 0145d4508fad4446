import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET } from './nodes.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSec = (): number => Math.floor(Date.now() / 1000);

/**
 * Tokens an attacker could present. Each is built from a real user's claims, so the only thing
 * wrong with it is the one thing named.
 */
export const badTokens = {
  /** Correctly signed, but its `exp` has passed. */
  expired: (userId: number, tenantId: number): string =>
    jwt.sign({ tid: tenantId, sub: String(userId), iat: nowSec() - 7200, exp: nowSec() - 60 }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
  /** `alg: none` with an empty signature. */
  algNone: (userId: number, tenantId: number): string =>
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ tid: tenantId, sub: String(userId), iat: nowSec(), exp: nowSec() + 3600 })}.`,
  /** A valid token whose payload was edited (e.g. to claim another user), signature kept. */
  editedClaims: (validToken: string, edit: Record<string, unknown>): string => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return `${header}.${b64({ ...claims, ...edit })}.${signature}`;
  },
  /** Signed with some other secret. */
  wrongKey: (userId: number, tenantId: number): string =>
    jwt.sign({ tid: tenantId }, 'another-secret-that-is-long-enough-for-hs256-000000', {
      algorithm: 'HS256',
      subject: String(userId),
      expiresIn: 3600,
    }),
  /** Correctly signed, without `exp`: jsonwebtoken alone would take it as valid forever. */
  unexpiring: (userId: number, tenantId: number): string =>
    jwt.sign({ tid: tenantId, sub: String(userId), iat: nowSec() }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
  /** Correctly signed, with the user id written some other way (`01`, `1.0`, ` 1`). */
  subSpelled: (sub: string, tenantId: number): string =>
    jwt.sign({ tid: tenantId, sub, exp: nowSec() + 600 }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
};
