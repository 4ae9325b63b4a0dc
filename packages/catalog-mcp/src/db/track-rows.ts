import type { Track } from '../tools/schemas.ts';

/**
 * Shared SELECT list and joins for {@link Track} rows. Internal ids stay inside SQL (docs/tool-contracts.md).
 * LEFT JOINs + COALESCE because Chinook's schema allows NULL album, artist name and genre.
 */
export const TRACK_COLUMNS = `
  t.Name AS name,
  COALESCE(al.Title, 'Unknown album') AS album,
  COALESCE(ar.Name, 'Unknown artist') AS artist,
  g.Name AS genre,
  t.Milliseconds AS durationMs,
  t.UnitPrice AS price`;

export const TRACK_FROM = `
  FROM Track t
  LEFT JOIN Album al ON al.AlbumId = t.AlbumId
  LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
  LEFT JOIN Genre g ON g.GenreId = t.GenreId`;

export interface TrackRow {
  name: string;
  album: string;
  artist: string;
  genre: string | null;
  durationMs: number;
  price: number;
}

export function toTrack(row: TrackRow): Track {
  return {
    name: row.name,
    album: row.album,
    artist: row.artist,
    genre: row.genre ?? null,
    durationMs: Number(row.durationMs),
    price: Number(row.price),
  };
}

/** Splits a `LIMIT limit + 1` result into the rows to return and whether more existed. */
export function takeLimited<T>(rows: T[], limit: number): { rows: T[]; truncated: boolean } {
  return rows.length > limit ? { rows: rows.slice(0, limit), truncated: true } : { rows, truncated: false };
}
