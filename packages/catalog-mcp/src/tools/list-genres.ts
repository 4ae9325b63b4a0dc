import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';
import { defineCatalogTool, registerCatalogTool, type CatalogToolDeps } from './catalog-tool.ts';
import { plural } from './format.ts';
import { statement } from '../db/statement.ts';

export const listGenresInput = z.object({});

export const genreSchema = z.object({
  name: z.string().describe('Genre name.'),
  trackCount: z.number().int().describe('Number of tracks in the genre.'),
});

export const listGenresOutput = z.object({
  genres: z.array(genreSchema).describe('Every genre in the catalog (a couple of dozen), alphabetical.'),
});

export type ListGenresOutput = z.output<typeof listGenresOutput>;

export function queryListGenres(db: CatalogDb): ListGenresOutput {
  const genres = statement<[], z.output<typeof genreSchema>>(
    db,
    `SELECT g.Name AS name, COUNT(t.TrackId) AS trackCount
         FROM Genre g
         LEFT JOIN Track t ON t.GenreId = g.GenreId
        WHERE g.Name IS NOT NULL
        GROUP BY g.GenreId
        ORDER BY g.Name`,
  ).all();
  return { genres };
}

export function renderListGenres(out: ListGenresOutput): string {
  if (out.genres.length === 0) return 'The catalog has no genres.';
  const items = out.genres.map((g) => `${g.name} (${plural(g.trackCount, 'track')})`);
  return `The store has ${plural(out.genres.length, 'genre')}: ${items.join(', ')}.`;
}

export const listGenresTool = defineCatalogTool({
  name: 'list_genres',
  title: 'List genres',
  description:
    'List every music genre in the store with its number of tracks. Use it to answer "what genres do you have?" ' +
    'or to find the right genre name before get_artists_by_genre.',
  inputSchema: listGenresInput,
  outputSchema: listGenresOutput,
  query: (db) => queryListGenres(db),
  render: renderListGenres,
});

export function registerListGenresTool(server: McpServer, deps: CatalogToolDeps) {
  return registerCatalogTool(server, deps, listGenresTool);
}
