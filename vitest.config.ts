import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure functions, data checks) and `server`
// (Fastify + a real PostgreSQL: embedded by default, DATABASE_URL if set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'data/**/*.test.ts', 'server/src/domain/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts'],
          // Data checks over the whole district take seconds on a loaded 2-core machine; speed is for bench/, not a test's limit.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/test/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
