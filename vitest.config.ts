import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts', 'e2e/phone/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.build/**', 'miniprogram/miniprogram_npm/**'],
    globalSetup: ['realtime-server/test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own database and Redis channel prefix, so files run in parallel safely.
    pool: 'forks',
    // Type tests (`*.test-d.ts`, `@ts-expect-error` negatives) are compiled, never run: one tsc pass.
    typecheck: { enabled: true, include: ['**/test/**/*.test-d.ts'], tsconfig: 'tsconfig.type-tests.json' },
  },
});
