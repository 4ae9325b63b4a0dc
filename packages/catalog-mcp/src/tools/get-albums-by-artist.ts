import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { matchParams, matchRank, matchWhere } from '../db/search-text.ts';
import { takeLimited } from '../db/track-rows.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { plural, quote, truncationNote } from './format.ts';
import { limitSchema, querySchema, searchText, truncatedSchema } from './schemas.ts';
import { statement } from '../db/statement.ts';

export const getAlbumsByArtistInput = z.object({
  artist: searchText('an artist or band name, e.g. "AC/DC" or "zeppelin"'),
  limit: limitSchema,
});

export const albumSchema = z.object({
  title: z.string().describe('Album title.'),
  artist: z.string().describe('Artist the album is credited to.'),
  trackCount: z.number().int().describe('Number of tracks on the album.'),
});

export const getAlbumsByArtistOutput = z.object({
  query: querySchema,
  albums: z.array(albumSchema).describe('Matching albums, best artist-name match first, then by artist and title.'),
  truncated: truncatedSchema,
});

export type GetAlbumsByArtistInput = z.output<typeof getAlbumsByArtistInput>;
export type GetAlbumsByArtistOutput = z.output<typeof getAlbumsByArtistOutput>;

export function queryAlbumsByArtist(db: CatalogDb, input: GetAlbumsByArtistInput): GetAlbumsByArtistOutput {
  const rows = statement<unknown[], z.output<typeof albumSchema>>(
    db,
    `SELECT al.Title AS title,
              ar.Name AS artist,
              (SELECT COUNT(*) FROM Track t WHERE t.AlbumId = al.AlbumId) AS trackCount
         FROM Album al
         JOIN Artist ar ON ar.ArtistId = al.ArtistId
        WHERE ${matchWhere('ar.Name')}
        ORDER BY ${matchRank('ar.Name')}, ar.Name, al.Title
        LIMIT @take`,
  ).all({ ...matchParams(input.artist), take: input.limit + 1 });
  const { rows: albums, truncated } = takeLimited(rows, input.limit);
  return { query: input.artist, albums, truncated };
}

export function renderAlbumsByArtist(out: GetAlbumsByArtistOutput): string {
  if (out.albums.length === 0) {
    return `No albums found for artists matching ${quote(out.query)}. Check the spelling or try part of the name.`;
  }
  const byArtist = new Map<string, string[]>();
  for (const a of out.albums) {
    const list = byArtist.get(a.artist) ?? [];
    list.push(`${a.title} (${plural(a.trackCount, 'track')})`);
    byArtist.set(a.artist, list);
  }
  const [onlyArtist] = byArtist.keys();
  if (byArtist.size === 1 && !out.truncated && onlyArtist !== undefined) {
    return `${onlyArtist} has ${plural(out.albums.length, 'album')}: ${(byArtist.get(onlyArtist) ?? []).join('; ')}.`;
  }
  const lines = [...byArtist].map(([artist, titles]) => `- ${artist}: ${titles.join('; ')}`);
  return `${plural(out.albums.length, 'album')} by artists matching ${quote(out.query)}:\n${lines.join('\n')}${truncationNote(out.truncated, out.albums.length)}`;
}

export const getAlbumsByArtistTool = defineCatalogTool({
  name: 'get_albums_by_artist',
  title: 'Albums by artist',
  description:
    'List the albums the store sells by artists whose name contains the given text (case- and accent-insensitive), ' +
    'with each album\'s track count. Use it for "what albums do you have by X?". ' +
    'For the songs on one album use get_album_tracks.',
  inputSchema: getAlbumsByArtistInput,
  outputSchema: getAlbumsByArtistOutput,
  query: queryAlbumsByArtist,
  render: renderAlbumsByArtist,
});

export function registerGetAlbumsByArtistTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, getAlbumsByArtistTool);
}
