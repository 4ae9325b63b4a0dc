// Fuzzing every catalog tool through the real SDK client (the SDK's linked in-memory transport) with
// generated hostile arguments: SQL-injection shapes, LIKE wildcards, unicode, huge text, odd numbers, wrong
// types, extra keys. Properties: the call always answers (a result or a JSON-RPC error, never a dead
// server), no SQL/SQLite error text or stack reaches the client, never more rows than the limit (or the hard
// maximum), every row really matches the search text, and the database file is byte-for-byte unchanged.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from './db/search-text.ts';
import { openCatalogDb, type CatalogDb } from './db/open-catalog-db.ts';
import { MAX_LIMIT } from './tools/schemas.ts';
import { createCatalogServer } from './server.ts';

const RUNS = 300;
const PRISTINE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/chinook.pristine.sqlite');

/** Error text of SQLite, better-sqlite3 and V8 stacks; none may reach a client. */
const LEAK = /SQLITE_|SqliteError|syntax error|no such (table|column|function)|unrecognized token|near "|incomplete input|catalog_fold|\bat .+\.ts:\d+|\n\s+at /;

const sqlFragments = fc.constantFrom(
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE Track; --",
  "') UNION SELECT Email, Phone FROM Customer --",
  "1; ATTACH DATABASE '/tmp/x' AS x; --",
  'PRAGMA writable_schema=1',
  '%',
  '_',
  '\\',
  '\\%',
  '[a-z]',
  '*',
  '\u0000',
  ' ESCAPE ',
  'catalog_fold(',
  "randomblob(1000000000)",
);

/** Text a model or a user could put in a search argument. */
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(sqlFragments, fc.string({ maxLength: 8 })), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('ac/dc', 'AC/DC', 'rock', 'Motörhead', 'MOTORHEAD', 'jazz', 'let there be rock', '  queen  ', 'a') },
  { weight: 1, arbitrary: fc.string({ minLength: 1000, maxLength: 1100 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(20_000), '\u0301'.repeat(50), '\u200b', '\ufeff', '🎸'.repeat(300), '   ', '') },
);

/** Everything JSON can carry where a string or a number was expected. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 4 }),
  fc.constantFrom({ $gt: '' }, ['%'], [[['deep']]]),
);

const limitValue = fc.oneof(
  fc.integer({ min: 1, max: MAX_LIMIT }),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -1, -0, 0.5, 2.5, 101, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity),
  fc.string({ maxLength: 6 }),
  wrongType,
);

const extraKeys = fc.dictionary(
  fc.constantFrom('customer_id', 'customerId', 'sql', 'limit_override', '__proto__', 'constructor', 'offset', 'z'),
  fc.oneof(fc.integer(), fc.string({ maxLength: 10 })),
  { maxKeys: 3 },
);

interface Args {
  text?: unknown;
  limit?: unknown;
  extra: Record<string, unknown>;
}

const argsOf = fc.record(
  {
    text: fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: wrongType }),
    limit: limitValue,
    extra: extraKeys,
  },
  { requiredKeys: ['extra'] },
) as fc.Arbitrary<Args>;

interface ToolCase {
  tool: string;
  /** The search argument's name; list_genres has none. */
  arg?: string;
  /** The array in structuredContent whose rows the limit caps. */
  rows: string;
  /** The text each row must contain (folded) when the search succeeded. */
  matched?: (row: Record<string, unknown>, out: Record<string, unknown>) => string;
}

const TOOLS: ToolCase[] = [
  { tool: 'get_albums_by_artist', arg: 'artist', rows: 'albums', matched: (row) => String(row.artist) },
  { tool: 'get_tracks_by_artist', arg: 'artist', rows: 'tracks', matched: (row) => String(row.artist) },
  { tool: 'check_for_songs', arg: 'song_title', rows: 'tracks', matched: (row) => String(row.name) },
  { tool: 'get_artists_by_genre', arg: 'genre', rows: 'artists', matched: (row) => String(row.genre) },
  { tool: 'list_genres', rows: 'genres' },
  {
    tool: 'get_album_tracks',
    arg: 'album',
    rows: 'tracks',
    matched: (_row, out) => String((out.album as { title: string }).title),
  },
];

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let dir: string;
let dbPath: string;
let db: CatalogDb;
let client: Client;
let before: string;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalog-fuzz-'));
  dbPath = join(dir, 'chinook.db');
  copyFileSync(PRISTINE, dbPath);
  before = sha256(dbPath);
  db = openCatalogDb(dbPath);
  const server = createCatalogServer({ db, log: (line) => logged.push(line) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  // A server connected directly (not via serveStdio) speaks the 2025 handshake; tool validation is the same code.
  client = new Client({ name: 'catalog-fuzz', version: '0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

/** One call: a tool result, or the JSON-RPC error the SDK raised (both are answers; a hang or a crash is not). */
async function call(name: string, args: Record<string, unknown>): Promise<{ result?: ToolResult; protocolError?: Error }> {
  try {
    return { result: (await client.callTool({ name, arguments: args })) as ToolResult };
  } catch (error) {
    return { protocolError: error as Error };
  }
}

/** The tools quote the search text back (shortened past 80 characters): that echo is the caller's own text, not a leak. */
function withoutEcho(text: string, query: unknown): string {
  if (typeof query !== 'string' || !query) return text;
  let out = text;
  for (const echo of [query, query.trim(), query.trim().slice(0, 77)]) if (echo) out = out.split(echo).join('');
  return out;
}

const validLimit = (limit: unknown): limit is number => typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT;

describe.each(TOOLS)('fuzzing $tool', (spec) => {
  it(`answers ${RUNS} generated argument sets without a leak, a crash or extra rows`, async () => {
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(argsOf, async ({ text, limit, extra }) => {
        const args: Record<string, unknown> = { ...extra };
        if (spec.arg && text !== undefined) args[spec.arg] = text;
        if (limit !== undefined) args.limit = limit;
        const { result, protocolError } = await call(spec.tool, args);

        if (protocolError) {
          // Only the protocol's own refusal of bad params is acceptable, worded without internals.
          expect(protocolError.message).not.toMatch(LEAK);
          expect((protocolError as { code?: number }).code).toBe(-32602);
          return;
        }
        const text_ = result!.content.map((c) => c.text ?? '').join('\n');
        expect(withoutEcho(text_, result!.structuredContent?.query ?? text)).not.toMatch(LEAK);
        if (result!.isError) {
          expect(result!.structuredContent).toBeUndefined();
          expect(text_.length).toBeLessThan(2_000);
          return;
        }
        succeeded++;
        const out = result!.structuredContent!;
        expect(withoutEcho(JSON.stringify(out[spec.rows]), undefined)).not.toMatch(LEAK);
        const rows = out[spec.rows] as Array<Record<string, unknown>>;
        expect(Array.isArray(rows)).toBe(true);
        if (spec.tool !== 'list_genres') expect(rows.length).toBeLessThanOrEqual(validLimit(limit) ? limit : MAX_LIMIT);
        if (spec.matched && typeof out.query === 'string') {
          const needle = foldForSearch(out.query);
          // A wildcard in the text is literal: each row contains it, nothing broader came back.
          if (needle) for (const row of rows) expect(foldForSearch(spec.matched(row, out))).toContain(needle);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator is not just bouncing off validation: plenty of calls reached the SQL.
    expect(succeeded).toBeGreaterThan(spec.arg ? RUNS / 10 : RUNS / 2);
  });
});

describe('text that folds to nothing', () => {
  // Combining marks alone, or a NUL, fold to '' and would match every row: refused like empty text.
  it.each(['\u0301', '\u0000', ' \u0301\u0308 ', '\u0000\u0000'])('%j is refused, not a match-everything search', async (text) => {
    for (const spec of TOOLS.filter((t) => t.arg)) {
      const { result } = await call(spec.tool, { [spec.arg!]: text, limit: 5 });
      expect(result?.isError, spec.tool).toBe(true);
      expect(result!.content.map((c) => c.text).join('')).toMatch(/must not be empty/);
    }
  });
});

describe('after fuzzing', () => {
  it('the server still answers, logged no internal failure, and the database file is unchanged', async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(6);
    const acdc = await call('get_albums_by_artist', { artist: 'AC/DC' });
    expect((acdc.result?.structuredContent?.albums as unknown[]).length).toBe(2);
    expect(logged).toEqual([]);
    db.close();
    expect(sha256(dbPath)).toBe(before);
    db = openCatalogDb(dbPath);
  });
});
