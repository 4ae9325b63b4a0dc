import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpConnection, type McpConnection } from '../mcp/mcp-connection.ts';
import { toolSourceOf } from '../mcp/tool-source.ts';
import { serverStart, stdioTransport } from '../mcp/transports.ts';
import type { ToolSource } from '../mcp/types.ts';
import { createScriptedModel } from '../model/scripted.ts';
import { ModelError } from '../model/types.ts';
import { makeDataDir } from '../testing/host-harness.ts';
import { runSpecialist, type LoopEvent } from './specialist-loop.ts';

// The loop on a scripted model against the real catalog server over stdio.
let connection: McpConnection;
let catalog: ToolSource;
let data: ReturnType<typeof makeDataDir>;
beforeAll(() => {
  data = makeDataDir();
  connection = createMcpConnection({
    label: 'catalog',
    requestTimeoutMs: 20_000,
    createTransport: () => stdioTransport(serverStart('catalog').nodeArgs, ['--db', join(data.dir, 'chinook.db')], {}),
  });
  catalog = toolSourceOf('catalog', connection);
});
afterAll(async () => {
  await connection?.close();
  data?.remove();
});

function run(turns: Parameters<typeof createScriptedModel>[0], maxSteps = 4) {
  const model = createScriptedModel(turns);
  const events: LoopEvent[] = [];
  const step = runSpecialist({
    model,
    system: 'You are a test.',
    tools: catalog,
    history: [{ role: 'user', content: 'question' }],
    maxSteps,
    emit: (event) => events.push(event),
  });
  return { model, events, step };
}

describe('specialist loop', () => {
  it('offers the server\'s own tool list and runs parallel calls, returning each result to the model', async () => {
    const { model, events, step } = run([
      {
        toolCalls: [
          { id: 'a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } },
          { id: 'b', name: 'get_artists_by_genre', arguments: { genre: 'Jazz', limit: 3 } },
        ],
      },
      { text: 'Here you go.' },
    ]);
    const result = await step;
    expect(result).toMatchObject({ type: 'final', text: 'Here you go.' });
    expect(model.requests[0]!.tools!.map((t) => t.name).sort()).toEqual([
      'check_for_songs',
      'get_album_tracks',
      'get_albums_by_artist',
      'get_artists_by_genre',
      'get_tracks_by_artist',
      'list_genres',
    ]);
    const toolMessage = model.requests[1]!.messages.at(-1)!;
    expect(toolMessage.role).toBe('tool');
    if (toolMessage.role !== 'tool') throw new Error('unreachable');
    expect(toolMessage.content.map((part) => part.callId)).toEqual(['a', 'b']);
    expect(JSON.stringify(toolMessage.content[0]!.structured)).toContain('Let There Be Rock');
    expect(events.filter((e) => e.type === 'tool').map((e) => e.type === 'tool' && e.status)).toEqual([
      'started',
      'started',
      'done',
      'done',
    ]);
  });

  it('turns a bad tool call into an error result the model reads, and goes on', async () => {
    const { model, step } = run([
      { toolCalls: [{ id: 'x', name: 'get_albums_by_artist', arguments: { artist: '' } }] },
      { text: 'Sorry, I need an artist name.' },
    ]);
    expect(await step).toMatchObject({ type: 'final', text: 'Sorry, I need an artist name.' });
    const toolMessage = model.requests[1]!.messages.at(-1)!;
    expect(toolMessage).toMatchObject({ role: 'tool', content: [{ callId: 'x', isError: true }] });
  });

  it('stops at the step limit with a clear message', async () => {
    const again = { toolCalls: [{ name: 'list_genres' }] };
    const { step } = run([again, again, again], 3);
    const result = await step;
    expect(result.type).toBe('limit');
    expect(result.text).toMatch(/couldn't finish this within 3 steps/);
  });

  it('lets a model failure reach the caller as a ModelError', async () => {
    const failure = new ModelError({ provider: 'scripted', kind: 'server', status: 503, message: 'upstream down' });
    const { step } = run([failure]);
    await expect(step).rejects.toBeInstanceOf(ModelError);
  });
});
