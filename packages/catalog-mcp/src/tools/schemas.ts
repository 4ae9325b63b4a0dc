import { z } from 'zod';
import { foldForSearch } from '../db/search-text.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;
export const MAX_SEARCH_LENGTH = 1024;

/** A search argument: trimmed, non-empty, at most 1 KB; matched as a case- and accent-insensitive substring. */
export function searchText(what: string) {
  return z
    .string()
    .trim()
    .min(1, `must not be empty: give part of ${what}`)
    .max(MAX_SEARCH_LENGTH, `is too long: at most ${MAX_SEARCH_LENGTH} characters`)
    // Text made only of accents or NULs folds to '' and would match every row.
    .refine((text) => foldForSearch(text) !== '', `must not be empty: give part of ${what}`)
    .describe(`Part of ${what}; case- and accent-insensitive, matched anywhere in the name.`);
}

export const limitSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT)
  .describe(`Maximum number of results (1-${MAX_LIMIT}, default ${DEFAULT_LIMIT}). \`truncated\` is true when more exist.`);

export const trackSchema = z.object({
  name: z.string().describe('Track title.'),
  album: z.string().describe('Album the track is on.'),
  artist: z.string().describe('Artist of the album.'),
  genre: z.string().nullable().describe('Genre name, or null when unknown.'),
  durationMs: z.number().int().describe('Duration in milliseconds.'),
  price: z.number().describe('Price in US dollars.'),
});

export type Track = z.output<typeof trackSchema>;

export const truncatedSchema = z.boolean().describe('True when more rows matched than `limit`; narrow the search or raise `limit`.');
export const querySchema = z.string().describe('The search text as understood (trimmed).');
