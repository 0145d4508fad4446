import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.build/**', 'miniprogram/miniprogram_npm/**'],
    globalSetup: ['realtime-server/test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own database and Redis channel prefix, so files run in parallel safely.
    pool: 'forks',
  },
});
