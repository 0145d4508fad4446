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
});
