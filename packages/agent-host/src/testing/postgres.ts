// Moved to the kit so every package's tests start the same throwaway server.
export * from '@algorhythm/mcp-kit/testing/postgres';
