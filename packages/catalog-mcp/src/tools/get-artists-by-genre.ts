import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { matchParams, matchRank, matchWhere } from '../db/search-text.ts';
import { takeLimited } from '../db/track-rows.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { plural, quote, truncationNote } from './format.ts';
import { limitSchema, querySchema, searchText, truncatedSchema } from './schemas.ts';
import { statement } from '../db/statement.ts';

export const getArtistsByGenreInput = z.object({
  genre: searchText('a genre name, e.g. "jazz" or "rock" (list_genres gives them all)'),
  limit: limitSchema,
});

export const genreArtistSchema = z.object({
  name: z.string().describe('Artist name.'),
  genre: z.string().describe('The matching genre this artist has tracks in.'),
});

export const getArtistsByGenreOutput = z.object({
  query: querySchema,
  artists: z
    .array(genreArtistSchema)
    .describe('One entry per artist and matching genre: exact genre match first, then by genre and artist name.'),
  truncated: truncatedSchema,
});

export type GetArtistsByGenreInput = z.output<typeof getArtistsByGenreInput>;
export type GetArtistsByGenreOutput = z.output<typeof getArtistsByGenreOutput>;

export function queryArtistsByGenre(db: CatalogDb, input: GetArtistsByGenreInput): GetArtistsByGenreOutput {
  const rows = statement<unknown[], z.output<typeof genreArtistSchema>>(
    db,
    `SELECT ar.Name AS name, g.Name AS genre
         FROM Genre g
         JOIN Track t ON t.GenreId = g.GenreId
         JOIN Album al ON al.AlbumId = t.AlbumId
         JOIN Artist ar ON ar.ArtistId = al.ArtistId
        WHERE ${matchWhere('g.Name')} AND ar.Name IS NOT NULL
        GROUP BY g.GenreId, ar.ArtistId
        ORDER BY ${matchRank('g.Name')}, g.Name, ar.Name
        LIMIT @take`,
  ).all({ ...matchParams(input.genre), take: input.limit + 1 });
  const { rows: artists, truncated } = takeLimited(rows, input.limit);
  return { query: input.genre, artists, truncated };
}

export function renderArtistsByGenre(out: GetArtistsByGenreOutput): string {
  if (out.artists.length === 0) {
    return `No artists found for genres matching ${quote(out.query)}. Use list_genres to see the genres the store carries.`;
  }
  const byGenre = new Map<string, string[]>();
  for (const a of out.artists) byGenre.set(a.genre, [...(byGenre.get(a.genre) ?? []), a.name]);
  const lines = [...byGenre].map(([genre, names]) => `${genre} (${plural(names.length, 'artist')}): ${names.join(', ')}.`);
  return `${lines.join('\n')}${truncationNote(out.truncated, out.artists.length)}`;
}

export const getArtistsByGenreTool = defineCatalogTool({
  name: 'get_artists_by_genre',
  title: 'Artists by genre',
  description:
    'List artists with tracks in genres whose name contains the given text (case- and accent-insensitive), e.g. ' +
    '"rock" matches Rock and Rock And Roll. Use it for "who do you have in jazz?". list_genres gives every genre.',
  inputSchema: getArtistsByGenreInput,
  outputSchema: getArtistsByGenreOutput,
  query: queryArtistsByGenre,
  render: renderArtistsByGenre,
});

export function registerGetArtistsByGenreTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, getArtistsByGenreTool);
}
