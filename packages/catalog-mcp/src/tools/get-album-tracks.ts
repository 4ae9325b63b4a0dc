import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { matchParams, matchRank, matchWhere } from '../db/search-text.ts';
import { TRACK_COLUMNS, TRACK_FROM, takeLimited, toTrack, type TrackRow } from '../db/track-rows.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { formatDuration, formatPrice, plural, quote, truncationNote } from './format.ts';
import { limitSchema, querySchema, searchText, trackSchema, truncatedSchema } from './schemas.ts';
import { statement } from '../db/statement.ts';

/** How many other matching albums the text names, so the model can ask the user which one they meant. */
const OTHER_MATCHES_SHOWN = 5;

export const getAlbumTracksInput = z.object({
  album: searchText('an album title, e.g. "let there be rock"'),
  limit: limitSchema,
});

export const albumTrackSchema = trackSchema.extend({
  number: z.number().int().describe('Position on the album, from 1.'),
});

export const getAlbumTracksOutput = z.object({
  query: querySchema,
  album: z
    .object({ title: z.string().describe('Album title.'), artist: z.string().describe('Album artist.') })
    .nullable()
    .describe('The best-matching album (exact title first, then prefix, then substring), or null if none matched.'),
  tracks: z.array(albumTrackSchema).describe("The album's tracks in album order."),
  truncated: truncatedSchema,
});

export type GetAlbumTracksInput = z.output<typeof getAlbumTracksInput>;
export type GetAlbumTracksOutput = z.output<typeof getAlbumTracksOutput>;

interface AlbumMatch {
  id: number;
  title: string;
  artist: string;
}

/** The best match and the runners-up (named in the text only; the structured shape has one album). */
export function findAlbums(db: CatalogDb, album: string, take: number): AlbumMatch[] {
  return statement<unknown[], AlbumMatch>(
    db,
    `SELECT al.AlbumId AS id, al.Title AS title, COALESCE(ar.Name, 'Unknown artist') AS artist
         FROM Album al
         LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
        WHERE ${matchWhere('al.Title')}
        ORDER BY ${matchRank('al.Title')}, al.Title, ar.Name
        LIMIT @take`,
  ).all({ ...matchParams(album), take });
}

export function queryAlbumTracks(db: CatalogDb, input: GetAlbumTracksInput): GetAlbumTracksOutput {
  const [best] = findAlbums(db, input.album, 1);
  if (!best) return { query: input.album, album: null, tracks: [], truncated: false };
  const sql = `SELECT ${TRACK_COLUMNS} ${TRACK_FROM} WHERE t.AlbumId = @id ORDER BY t.TrackId LIMIT @take`;
  const rows = statement<unknown[], TrackRow>(db, sql).all({ id: best.id, take: input.limit + 1 });
  const { rows: limited, truncated } = takeLimited(rows, input.limit);
  return {
    query: input.album,
    album: { title: best.title, artist: best.artist },
    // Chinook has no track-number column; TrackId order within an album is the album order.
    tracks: limited.map((row, i) => ({ ...toTrack(row), number: i + 1 })),
    truncated,
  };
}

/** Other albums matching the same text, excluding the one shown. */
export function findOtherAlbums(db: CatalogDb, out: GetAlbumTracksOutput): AlbumMatch[] {
  if (!out.album) return [];
  return findAlbums(db, out.query, OTHER_MATCHES_SHOWN + 1).slice(1);
}

export function renderAlbumTracks(out: GetAlbumTracksOutput, otherMatches: AlbumMatch[] = []): string {
  if (!out.album) {
    return `No album found matching ${quote(out.query)}. Try part of the title, or get_albums_by_artist to list an artist's albums.`;
  }
  const total = out.tracks.reduce((sum, t) => sum + t.durationMs, 0);
  const summary = out.truncated
    ? `first ${plural(out.tracks.length, 'track')}`
    : `${plural(out.tracks.length, 'track')}, ${formatDuration(total)} total`;
  const lines = out.tracks.map((t) => `${t.number}. ${t.name}, ${formatDuration(t.durationMs)}, ${formatPrice(t.price)}`);
  const others = otherMatches.length
    ? `\nOther albums also match ${quote(out.query)}: ${otherMatches.map((a) => `${a.title} (${a.artist})`).join('; ')}.`
    : '';
  return `${out.album.title} by ${out.album.artist} (${summary}):\n${lines.join('\n')}${truncationNote(out.truncated, out.tracks.length)}${others}`;
}

export const getAlbumTracksTool = defineCatalogTool({
  name: 'get_album_tracks',
  title: 'Album track listing',
  description:
    'Show the track listing of the album whose title best matches the given text (case- and accent-insensitive; ' +
    'exact title first, then titles starting with it), with track numbers, durations and prices. ' +
    'If several albums match, the text names the others so you can ask which one was meant.',
  inputSchema: getAlbumTracksInput,
  outputSchema: getAlbumTracksOutput,
  query: queryAlbumTracks,
  render: (out, db) => renderAlbumTracks(out, findOtherAlbums(db, out)),
});

export function registerGetAlbumTracksTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, getAlbumTracksTool);
}
