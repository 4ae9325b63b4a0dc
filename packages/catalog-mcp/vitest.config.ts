import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@algorhythm/catalog-mcp',
    include: ['src/**/*.test.ts'],
    // Transport tests spawn `node src/main.ts` and bind 127.0.0.1; generous so a loaded CI box never flakes.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
