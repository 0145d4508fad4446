import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const PUBLIC_URL = 'https://crm.example.com';
const production = (JWT_SECRET: string) => () => loadConfig({ NODE_ENV: 'production', PUBLIC_URL, JWT_SECRET });

describe('configuration', () => {
  it('production refuses a JWT_SECRET that is long but easy to guess', () => {
    expect(production('a'.repeat(64))).toThrow(/JWT_SECRET: uses too few different characters/);
    expect(production('password'.repeat(5))).toThrow(/JWT_SECRET: uses too few different characters/);
    expect(production('abcdefghijklm0'.repeat(4))).toThrow(/JWT_SECRET: is a short pattern repeated/);
    expect(production('0123456789abcdef0123456789abcdef!')).toThrow(/JWT_SECRET: is a short pattern repeated/);
    expect(production('too-short-0123456789')).toThrow(/JWT_SECRET: .*at least 32 characters/);
  });

  it('production starts with a generated secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_URL, JWT_SECRET: 'q3V9xZ-0pLk_7rT2mWb8YcNf4HsJ1aEuDg6Ri5Ko' });
    expect(config.jwtSecret).toBe('q3V9xZ-0pLk_7rT2mWb8YcNf4HsJ1aEuDg6Ri5Ko');
  });

  it('development keeps accepting a readable secret of 32 characters', () => {
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: 'a'.repeat(32) }).jwtSecret).toBe('a'.repeat(32));
  });

  it('keeps pooled database connections for 10 minutes unless told otherwise, and takes the other operations settings', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ poolIdleMs: 600_000, shutdownDeadlineMs: 10_000, redisAdapter: 'classic', metricsToken: undefined });
    const set = loadConfig({
      DATABASE_POOL_IDLE_MS: '30000',
      SHUTDOWN_DEADLINE_MS: '4000',
      REDIS_ADAPTER: 'sharded',
      METRICS_TOKEN: 'm'.repeat(20),
    });
    expect(set).toMatchObject({ poolIdleMs: 30_000, shutdownDeadlineMs: 4000, redisAdapter: 'sharded', metricsToken: 'm'.repeat(20) });
    expect(() => loadConfig({ REDIS_ADAPTER: 'cluster' })).toThrow(/REDIS_ADAPTER/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
