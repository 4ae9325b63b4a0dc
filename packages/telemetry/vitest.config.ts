import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@algorhythm/telemetry',
    include: ['src/**/*.test.ts'],
    // Child-process tests start Node and the SDK.
    testTimeout: 30_000,
  },
});
