import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: server nodes, Redis and PostgreSQL as real processes that the tests kill
 * and restart. One file at a time: they measure recovery times and must not compete for the CPU.
 */
export default defineConfig({
  test: {
    include: ['e2e/faults/**/*.fault.ts'],
    globalSetup: ['realtime-server/test/support/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
