import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@algorhythm/support-mcp',
    include: ['src/**/*.test.ts'],
    // Spawned servers and SQLite files: give slow CI machines room, but nothing asserts on time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
