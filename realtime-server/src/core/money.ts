import { AppError } from './app-error.js';

/**
 * Money totals leave the server as JSON numbers, exact only up to 2^53. PostgreSQL answers sums of
 * bigint as numeric text and JavaScript adds doubles, so every total goes through here: a value
 * beyond exact range is refused loudly rather than rounded silently.
 */
export function exactCents(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const big = typeof value === 'bigint' ? value : BigInt(String(value));
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new AppError('internal', 'A money total is beyond what can be reported exactly');
  }
  return Number(big);
}

/** Sum of `valueCents × percent / 100` over deals, exact (BigInt), rounded half up like PostgreSQL's round(). */
export function weightedCents(deals: Iterable<{ valueCents: number; percent: number }>): number {
  let sum = 0n;
  for (const d of deals) sum += BigInt(d.valueCents) * BigInt(d.percent);
  return exactCents((sum + 50n) / 100n);
}

export function totalCents(values: Iterable<number>): number {
  let sum = 0n;
  for (const v of values) sum += BigInt(v);
  return exactCents(sum);
}
