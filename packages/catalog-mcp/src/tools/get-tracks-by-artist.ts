import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { matchParams, matchRank, matchWhere } from '../db/search-text.ts';
import { TRACK_COLUMNS, TRACK_FROM, takeLimited, toTrack, type TrackRow } from '../db/track-rows.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { describeTrack, plural, quote, truncationNote } from './format.ts';
import { limitSchema, querySchema, searchText, trackSchema, truncatedSchema } from './schemas.ts';
import { statement } from '../db/statement.ts';

export const getTracksByArtistInput = z.object({
  artist: searchText('an artist or band name, e.g. "AC/DC" or "maiden"'),
  limit: limitSchema,
});

export const getTracksByArtistOutput = z.object({
  query: querySchema,
  tracks: z.array(trackSchema).describe('Matching tracks, best artist-name match first, then by artist, album and album order.'),
  truncated: truncatedSchema,
});

export type GetTracksByArtistInput = z.output<typeof getTracksByArtistInput>;
export type GetTracksByArtistOutput = z.output<typeof getTracksByArtistOutput>;

export function queryTracksByArtist(db: CatalogDb, input: GetTracksByArtistInput): GetTracksByArtistOutput {
  const rows = statement<unknown[], TrackRow>(
    db,
    `SELECT ${TRACK_COLUMNS}
         ${TRACK_FROM}
        WHERE ${matchWhere('ar.Name')}
        ORDER BY ${matchRank('ar.Name')}, ar.Name, al.Title, t.TrackId
        LIMIT @take`,
  ).all({ ...matchParams(input.artist), take: input.limit + 1 });
  const { rows: limited, truncated } = takeLimited(rows, input.limit);
  return { query: input.artist, tracks: limited.map(toTrack), truncated };
}

export function renderTracksByArtist(out: GetTracksByArtistOutput): string {
  if (out.tracks.length === 0) {
    return `No tracks found for artists matching ${quote(out.query)}. Check the spelling or try part of the name.`;
  }
  const artists = new Set(out.tracks.map((t) => t.artist));
  const [onlyArtist] = artists;
  const header =
    artists.size === 1 && !out.truncated
      ? `${onlyArtist} has ${plural(out.tracks.length, 'track')}:`
      : `${plural(out.tracks.length, 'track')} by artists matching ${quote(out.query)}:`;
  return `${header}\n${out.tracks.map((t) => `- ${describeTrack(t)}`).join('\n')}${truncationNote(out.truncated, out.tracks.length)}`;
}

export const getTracksByArtistTool = defineCatalogTool({
  name: 'get_tracks_by_artist',
  title: 'Tracks by artist',
  description:
    'List the tracks the store sells by artists whose name contains the given text (case- and accent-insensitive), ' +
    'with album, genre, duration and price, ordered by artist, album and album order. ' +
    'Prolific artists have hundreds of tracks: prefer get_albums_by_artist first, then get_album_tracks.',
  inputSchema: getTracksByArtistInput,
  outputSchema: getTracksByArtistOutput,
  query: queryTracksByArtist,
  render: renderTracksByArtist,
});

export function registerGetTracksByArtistTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, getTracksByArtistTool);
}
