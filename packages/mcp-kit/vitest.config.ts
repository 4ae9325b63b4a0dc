import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@algorhythm/mcp-kit',
    include: ['src/**/*.test.ts'],
    // HTTP tests bind 127.0.0.1 sockets; generous so a loaded CI box never flakes.
    testTimeout: 30_000,
  },
});
