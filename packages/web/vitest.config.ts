import { defineProject } from 'vitest/config';

// Unit tests for the pure client helpers, plus end-to-end tests that start the real agent host
// and drive Debian's Chromium. Each e2e file starts its own host, so files run one at a time.
export default defineProject({
  test: {
    name: '@algorhythm/web',
    include: ['client/**/*.test.ts', 'src/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
