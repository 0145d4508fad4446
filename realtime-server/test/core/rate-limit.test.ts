import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRateLimiter } from '../../src/core/rate-limit.js';

afterEach(() => { vi.useRealTimers(); });

describe('rate limiter', () => {
  test('a clock that steps back leaves the bucket as it was instead of draining it', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(Date.parse('2025-06-18T10:30:10+08:00'));
    const limiter = createRateLimiter({ perSecond: 20, burst: 3 });
    expect([limiter.take('ray'), limiter.take('ray')]).toEqual([true, true]);
    vi.setSystemTime(Date.parse('2025-06-18T10:30:00+08:00')); // ten seconds back
    expect(limiter.take('ray')).toBe(true);
    expect(limiter.take('ray')).toBe(false);
    vi.setSystemTime(Date.parse('2025-06-18T10:30:00.100+08:00'));
    expect(limiter.take('ray')).toBe(true);
  });
});
