// The server started from its startup snapshot (what the host runs after `pnpm build`), built here into a
// temporary directory: the same contract as from source, over stdio, in both protocol eras.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBuiltSnapshot } from '@algorhythm/startup-snapshot/testing';
import { CATALOG_SNAPSHOT } from './launch.ts';
import { catalogContract, ERA_CASES } from './testing/catalog-contract.ts';

const nodeArgs = useBuiltSnapshot(CATALOG_SNAPSHOT);

describe.each(ERA_CASES)('from the startup snapshot, $label client', (era) => {
  let client: Client;
  let stderr = '';
  beforeAll(async () => {
    client = new Client({ name: 'catalog-snapshot-test', version: '0.0.0' }, era.clientOptions);
    const transport = new StdioClientTransport({ command: process.execPath, args: nodeArgs(), cwd: tmpdir(), stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport);
  });
  afterAll(() => client.close());

  it('is started from the blob, not from source', () => {
    expect(nodeArgs()).toEqual(['--snapshot-blob', expect.stringMatching(/catalog-mcp-snapshot-\w+\/catalog-mcp\.blob$/), '--']);
  });

  catalogContract(() => client, era);

  it('writes nothing but protocol to stdout, and no warning to stderr', () => {
    expect(stderr).toBe('');
  });
});
