import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { matchParams, matchRank, matchWhere } from '../db/search-text.ts';
import { TRACK_COLUMNS, TRACK_FROM, takeLimited, toTrack, type TrackRow } from '../db/track-rows.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { describeTrack, plural, quote, truncationNote } from './format.ts';
import { limitSchema, querySchema, searchText, trackSchema, truncatedSchema } from './schemas.ts';
import { statement } from '../db/statement.ts';

export const checkForSongsInput = z.object({
  song_title: searchText('a song title, e.g. "let there be rock" or "imagine"'),
  limit: limitSchema,
});

export const checkForSongsOutput = z.object({
  query: querySchema,
  tracks: z.array(trackSchema).describe('Matching tracks: exact title first, then titles starting with the text, then the rest.'),
  truncated: truncatedSchema,
});

export type CheckForSongsInput = z.output<typeof checkForSongsInput>;
export type CheckForSongsOutput = z.output<typeof checkForSongsOutput>;

export function queryCheckForSongs(db: CatalogDb, input: CheckForSongsInput): CheckForSongsOutput {
  const rows = statement<unknown[], TrackRow>(
    db,
    `SELECT ${TRACK_COLUMNS}
         ${TRACK_FROM}
        WHERE ${matchWhere('t.Name')}
        ORDER BY ${matchRank('t.Name')}, t.Name, ar.Name, al.Title
        LIMIT @take`,
  ).all({ ...matchParams(input.song_title), take: input.limit + 1 });
  const { rows: limited, truncated } = takeLimited(rows, input.limit);
  return { query: input.song_title, tracks: limited.map(toTrack), truncated };
}

export function renderCheckForSongs(out: CheckForSongsOutput): string {
  if (out.tracks.length === 0) {
    return `No songs found matching ${quote(out.query)}. The store doesn't carry it, or try a shorter part of the title.`;
  }
  const lines = out.tracks.map((t) => `- ${describeTrack(t)}`).join('\n');
  return `Yes: ${plural(out.tracks.length, 'track')} matching ${quote(out.query)}:\n${lines}${truncationNote(out.truncated, out.tracks.length)}`;
}

export const checkForSongsTool = defineCatalogTool({
  name: 'check_for_songs',
  title: 'Find songs by title',
  description:
    'Check whether the store sells songs whose title contains the given text (case- and accent-insensitive). ' +
    'Returns each match with album, artist, genre, duration and price; an exact title match comes first. ' +
    'Use it for "do you have the song X?".',
  inputSchema: checkForSongsInput,
  outputSchema: checkForSongsOutput,
  query: queryCheckForSongs,
  render: renderCheckForSongs,
});

export function registerCheckForSongsTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, checkForSongsTool);
}
