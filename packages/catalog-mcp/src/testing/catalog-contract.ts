// The behaviour every transport and protocol era must show, driven through the real SDK client.
// Used by main.test.ts (stdio) and http.test.ts (Streamable HTTP); each calls it once per era.
import type { Client } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';

export const CATALOG_TOOL_NAMES = [
  'get_albums_by_artist',
  'get_tracks_by_artist',
  'check_for_songs',
  'get_artists_by_genre',
  'list_genres',
  'get_album_tracks',
];

export interface EraCase {
  label: string;
  clientOptions: ConstructorParameters<typeof Client>[1];
  version: string;
  era: 'modern' | 'legacy';
}

/** A 2026-07-28 client (pinned: no fallback) and a 2025-era client that can only speak 2025-11-25. */
export const ERA_CASES: EraCase[] = [
  { label: '2026-07-28', clientOptions: { versionNegotiation: { mode: { pin: '2026-07-28' } } }, version: '2026-07-28', era: 'modern' },
  { label: '2025-11-25', clientOptions: { supportedProtocolVersions: ['2025-11-25'] }, version: '2025-11-25', era: 'legacy' },
];

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

function textOf(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

/** Nothing that looks like SQL, SQLite or a stack trace may reach the client. */
function expectNoLeak(text: string): void {
  expect(text).not.toMatch(/sqlite|SELECT |FROM Track|catalog_fold|\n\s+at /i);
}

export function catalogContract(getClient: () => Client, era: EraCase): void {
  it(`negotiates ${era.version} (${era.era} era)`, () => {
    expect(getClient().getNegotiatedProtocolVersion()).toBe(era.version);
    expect(getClient().getProtocolEra()).toBe(era.era);
  });

  it('lists the six tools with schemas and read-only annotations', async () => {
    const { tools } = await getClient().listTools();
    expect(tools.map((t) => t.name)).toEqual(CATALOG_TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    const albums = tools.find((t) => t.name === 'get_albums_by_artist');
    expect(albums?.inputSchema.required).toEqual(['artist']);
    expect(albums?.inputSchema.properties).toMatchObject({
      artist: { type: 'string', minLength: 1, maxLength: 1024 },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    });
    expect(albums?.outputSchema?.required).toEqual(['query', 'albums', 'truncated']);
    expect(tools.find((t) => t.name === 'check_for_songs')?.inputSchema.required).toEqual(['song_title']);
    expect(tools.find((t) => t.name === 'list_genres')?.inputSchema.properties).toEqual({});
  });

  it("get_albums_by_artist: AC/DC has 'For Those About To Rock We Salute You' and 'Let There Be Rock'", async () => {
    const result = await call(getClient(), 'get_albums_by_artist', { artist: 'ac/dc' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      query: 'ac/dc',
      albums: [
        { title: 'For Those About To Rock We Salute You', artist: 'AC/DC', trackCount: 10 },
        { title: 'Let There Be Rock', artist: 'AC/DC', trackCount: 8 },
      ],
      truncated: false,
    });
    expect(textOf(result)).toBe('AC/DC has 2 albums: For Those About To Rock We Salute You (10 tracks); Let There Be Rock (8 tracks).');
  });

  it('get_tracks_by_artist: honours limit and flags truncation', async () => {
    const result = await call(getClient(), 'get_tracks_by_artist', { artist: 'AC/DC', limit: 5 });
    const out = result.structuredContent as { tracks: { artist: string }[]; truncated: boolean };
    expect(out.tracks).toHaveLength(5);
    expect(out.truncated).toBe(true);
    expect(out.tracks.every((t) => t.artist === 'AC/DC')).toBe(true);
    expect(textOf(result)).toContain('more exist');
    const all = (await call(getClient(), 'get_tracks_by_artist', { artist: 'AC/DC', limit: 100 })).structuredContent;
    expect(all).toMatchObject({ truncated: false });
    expect((all as { tracks: unknown[] }).tracks).toHaveLength(18);
  });

  it('check_for_songs: finds Let There Be Rock with price and duration', async () => {
    const result = await call(getClient(), 'check_for_songs', { song_title: 'Let There Be Rock' });
    expect(result.structuredContent).toEqual({
      query: 'Let There Be Rock',
      tracks: [{ name: 'Let There Be Rock', album: 'Let There Be Rock', artist: 'AC/DC', genre: 'Rock', durationMs: 366654, price: 0.99 }],
      truncated: false,
    });
  });

  it('get_artists_by_genre: Miles Davis plays jazz', async () => {
    const result = await call(getClient(), 'get_artists_by_genre', { genre: 'jazz' });
    expect(result.structuredContent).toMatchObject({ query: 'jazz', truncated: false });
    expect((result.structuredContent as { artists: unknown[] }).artists).toContainEqual({ name: 'Miles Davis', genre: 'Jazz' });
  });

  it('list_genres: includes Jazz and Rock', async () => {
    const result = await call(getClient(), 'list_genres', {});
    const genres = (result.structuredContent as { genres: { name: string; trackCount: number }[] }).genres;
    expect(genres).toHaveLength(25);
    expect(genres).toContainEqual({ name: 'Jazz', trackCount: 130 });
    expect(genres).toContainEqual({ name: 'Rock', trackCount: 1297 });
    expect(textOf(result)).toMatch(/^The store has 25 genres: /);
  });

  it('get_album_tracks: Let There Be Rock, numbered in album order', async () => {
    const result = await call(getClient(), 'get_album_tracks', { album: 'let there be rock', limit: 3 });
    expect(result.structuredContent).toMatchObject({
      query: 'let there be rock',
      album: { title: 'Let There Be Rock', artist: 'AC/DC' },
      truncated: true,
      tracks: [
        { number: 1, name: 'Go Down', price: 0.99 },
        { number: 2, name: 'Dog Eat Dog' },
        { number: 3, name: 'Let There Be Rock' },
      ],
    });
    const missing = await call(getClient(), 'get_album_tracks', { album: 'xyzzy' });
    expect(missing.isError).toBeFalsy();
    expect(missing.structuredContent).toEqual({ query: 'xyzzy', album: null, tracks: [], truncated: false });
  });

  it('nothing found is an empty list with a helpful text, not an error', async () => {
    const result = await call(getClient(), 'get_albums_by_artist', { artist: 'xyz' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ query: 'xyz', albums: [], truncated: false });
    expect(textOf(result)).toBe("No albums found for artists matching 'xyz'. Check the spelling or try part of the name.");
  });

  it.each([
    ['empty', { artist: '' }, /artist: must not be empty/],
    ['whitespace only', { artist: '   ' }, /artist: must not be empty/],
    ['over 1 KB', { artist: 'a'.repeat(1025) }, /artist: is too long: at most 1024 characters/],
    ['limit too big', { artist: 'a', limit: 101 }, /limit: must be at most 100/],
    ['limit not whole', { artist: 'a', limit: 2.5 }, /limit: must be a whole number/],
    ['missing argument', {}, /artist: Invalid input: expected string/],
    ['wrong type', { artist: 42 }, /artist: Invalid input: expected string/],
  ])('bad input (%s) is a clear tool error', async (_label, args, message) => {
    const result = await call(getClient(), 'get_albums_by_artist', args);
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/^Input validation error: Invalid arguments for tool get_albums_by_artist: /);
    expect(text).toMatch(message);
    expect(text.length).toBeLessThan(400);
    expectNoLeak(text);
  });

  it('refuses oversized argument objects before validating them', async () => {
    const result = await call(getClient(), 'check_for_songs', { song_title: 'rock', junk: Array.from({ length: 1000 }, (_, i) => i) });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Invalid arguments for tool check_for_songs: arguments contain more than the maximum of 32 elements');
  });

  it.each(["' OR 1=1 --", "'; DROP TABLE Track; --", '%', '_', '\\', '" OR ""="'])(
    'SQL-looking input %j is matched literally and never returns more than asked',
    async (text) => {
      for (const [tool, arg] of [
        ['check_for_songs', 'song_title'],
        ['get_tracks_by_artist', 'artist'],
        ['get_albums_by_artist', 'artist'],
        ['get_artists_by_genre', 'genre'],
        ['get_album_tracks', 'album'],
      ] as const) {
        const result = await call(getClient(), tool, { [arg]: text, limit: 2 });
        expect(result.isError, tool).toBeFalsy();
        expectNoLeak(textOf(result));
        const rows = Object.values(result.structuredContent ?? {}).find(Array.isArray) as unknown[];
        expect(rows.length, tool).toBeLessThanOrEqual(2);
      }
      // The only titles with a literal % in Chinook:
      const percent = await call(getClient(), 'check_for_songs', { song_title: '%' });
      expect((percent.structuredContent as { tracks: { name: string }[] }).tracks.map((t) => t.name).sort()).toEqual(['.07%', '100% HardCore']);
    },
  );

  it('an unknown tool is a protocol error, not a crash', async () => {
    await expect(getClient().callTool({ name: 'drop_tables', arguments: {} })).rejects.toThrow(/Tool drop_tables not found/);
    // The connection is still usable afterwards.
    expect((await getClient().listTools()).tools).toHaveLength(6);
  });
}
