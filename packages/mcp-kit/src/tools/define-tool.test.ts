// The seam through the real SDK over its linked in-memory transport: what a client sees for each outcome.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ToolCallInstrument, type ToolRuntime } from './define-tool.ts';
import { ToolError } from './tool-error.ts';
import { okResult } from './tool-result.ts';

const echoInput = z.object({ word: z.string().min(1).describe('What to echo, or `missing`/`crash` to fail.') });
const echoOutput = z.object({ echoed: z.string() });

function echoServer(runtime: ToolRuntime): McpServer {
  const server = new McpServer({ name: 'kit-test', version: '0' }, { capabilities: { tools: {} } });
  defineTool(
    server,
    {
      name: 'echo',
      title: 'Echo',
      description: 'Echoes a word back.',
      inputSchema: echoInput,
      outputSchema: echoOutput,
      annotations: { readOnlyHint: true },
    },
    ({ word }) => {
      if (word === 'missing') throw new ToolError('No such word. Try another one.');
      if (word === 'crash') throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
      return okResult({ echoed: word }, `You said ${word}.`);
    },
    runtime,
  );
  return server;
}

let client: Client | undefined;
afterEach(() => client?.close());

async function connect(runtime: ToolRuntime): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await echoServer(runtime).connect(serverSide);
  client = new Client({ name: 'kit-test-client', version: '0' });
  await client.connect(clientSide);
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{ text?: string }>).map((c) => c.text).join('');

describe('defineTool', () => {
  it('registers the spec with its title among the annotations, and passes results through', async () => {
    const c = await connect({ log: () => {} });
    const [tool] = (await c.listTools()).tools;
    expect(tool).toMatchObject({ name: 'echo', title: 'Echo', annotations: { title: 'Echo', readOnlyHint: true } });
    const result = await c.callTool({ name: 'echo', arguments: { word: 'hi' } });
    expect(result).toMatchObject({ structuredContent: { echoed: 'hi' }, content: [{ type: 'text', text: 'You said hi.' }] });
    expect(result.isError).toBeFalsy();
  });

  it('answers a ToolError with an isError result carrying exactly its text, and logs nothing', async () => {
    const lines: string[] = [];
    const c = await connect({ log: (line) => lines.push(line) });
    const result = await c.callTool({ name: 'echo', arguments: { word: 'missing' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('No such word. Try another one.');
    expect(lines).toEqual([]);
  });

  it('answers any other throw generically, logs it with its stack and records it', async () => {
    const lines: string[] = [];
    const recorded: unknown[] = [];
    const instrument: ToolCallInstrument = (_name, _ctx, call) => call((error) => recorded.push(error));
    const c = await connect({ log: (line) => lines.push(line), instrument });
    const result = await c.callTool({ name: 'echo', arguments: { word: 'crash' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Echo could not be completed because of an internal error. Please try again later.');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^echo failed: Error: SQLITE_CORRUPT[^\n]*\n\s+at /);
    expect(recorded).toEqual([expect.objectContaining({ message: expect.stringContaining('SQLITE_CORRUPT') })]);
  });

  it('runs every call inside the instrument, named for the tool', async () => {
    const seen: string[] = [];
    const instrument: ToolCallInstrument = async (name, _ctx, call) => {
      seen.push(`start ${name}`);
      const result = await call(() => {});
      seen.push(`end ${name} ${'isError' in result && result.isError ? 'error' : 'ok'}`);
      return result;
    };
    const c = await connect({ instrument });
    await c.callTool({ name: 'echo', arguments: { word: 'hi' } });
    await c.callTool({ name: 'echo', arguments: { word: 'missing' } });
    expect(seen).toEqual(['start echo', 'end echo ok', 'start echo', 'end echo error']);
  });

  it('leaves input validation to the SDK: the handler never sees bad input', async () => {
    const recorded: unknown[] = [];
    const c = await connect({ instrument: (_name, _ctx, call) => call((error) => recorded.push(error)) });
    const result = await c.callTool({ name: 'echo', arguments: { word: '' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Input validation error: Invalid arguments for tool echo: /);
    expect(recorded).toEqual([]);
  });
});
