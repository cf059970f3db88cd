import { defineConfig } from 'vitest/config';

// Browser tests: the real product (server + embedded PostgreSQL + built
// client) started once in global-setup, driven by real Chromium.
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
