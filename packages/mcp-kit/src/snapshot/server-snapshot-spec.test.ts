import { describe, expect, it } from 'vitest';
import { serverLaunch } from './server-snapshot-spec.ts';

describe('serverLaunch', () => {
  it('names the source entry and the snapshot spec of a server package by convention', () => {
    expect(serverLaunch('demo-mcp', new URL('file:///repo/packages/demo-mcp/'))).toEqual({
      main: '/repo/packages/demo-mcp/src/main.ts',
      snapshot: {
        name: 'demo-mcp',
        packageDir: '/repo/packages/demo-mcp/',
        entry: 'src/snapshot-entry.ts',
        native: ['better-sqlite3'],
        runtime: ['@algorhythm/telemetry', '@opentelemetry/api'],
      },
    });
  });
});
