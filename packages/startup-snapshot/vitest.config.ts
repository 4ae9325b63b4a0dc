import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@algorhythm/startup-snapshot',
    include: ['src/**/*.test.ts'],
    // Building a snapshot runs esbuild and a Node process; generous so a loaded CI box never flakes.
    testTimeout: 60_000,
  },
});
