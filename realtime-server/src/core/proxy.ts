import { isIP } from 'node:net';
import { z } from 'zod';

/** Express `trust proxy`: a hop count, or the addresses (names, IPs, CIDRs) of the load balancers. */
export type TrustProxy = number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [ip, bits, extra] = entry.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY=2` trusts two hops; `TRUST_PROXY=loopback,10.0.0.0/8` trusts those addresses. Nothing
 * else is accepted (`true` would let any client write X-Forwarded-For and pick its own address).
 */
export function parseTrustProxy(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const text = raw.trim();
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `TRUST_PROXY takes a hop count or a comma-separated list of IPs, CIDRs, loopback, linklocal, uniquelocal; not ${bad.join(', ') || 'empty'}`,
    });
    return z.NEVER;
  }
  return entries;
}
