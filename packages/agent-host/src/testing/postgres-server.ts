// Moved to the kit so every package's tests (and `pnpm cluster`) start the same throwaway server.
export * from '@algorhythm/mcp-kit/testing/postgres-server';
