import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS, useCatalogDb } from '../testing/catalog-db.ts';
import { getArtistsByGenreInput, queryArtistsByGenre, renderArtistsByGenre } from './get-artists-by-genre.ts';

const db = useCatalogDb();
const run = (genre: string, limit?: number) => queryArtistsByGenre(db, getArtistsByGenreInput.parse({ genre, limit }));

describe('get_artists_by_genre query', () => {
  it('lists the 10 jazz artists, Miles Davis among them', () => {
    const out = run('JAZZ');
    expect(out.artists).toHaveLength(10);
    expect(out.truncated).toBe(false);
    expect(out.artists).toContainEqual({ name: 'Miles Davis', genre: 'Jazz' });
    expect(renderArtistsByGenre(out)).toMatch(/^Jazz \(10 artists\): Aaron Goldberg, .*Miles Davis/);
  });

  it('matches partially: "rock" covers Rock and Rock And Roll, exact genre first', () => {
    const out = run('rock', 100);
    expect(out.artists).toHaveLength(52);
    expect(out.truncated).toBe(false);
    expect(out.artists[0]?.genre).toBe('Rock');
    expect(out.artists.at(-1)).toEqual({ name: 'BackBeat', genre: 'Rock And Roll' });
    expect(out.artists).toContainEqual({ name: 'AC/DC', genre: 'Rock' });
    const capped = run('rock', 10);
    expect(capped.artists).toHaveLength(10);
    expect(capped.truncated).toBe(true);
    const genres = new Set(queryArtistsByGenre(db, { genre: 'roll', limit: 100 }).artists.map((a) => a.genre));
    expect(genres).toEqual(new Set(['Rock And Roll']));
  });

  it('finds nothing for an unknown genre and points to list_genres', () => {
    const out = run('polka');
    expect(out.artists).toEqual([]);
    expect(renderArtistsByGenre(out)).toContain('list_genres');
  });

  it.each(HOSTILE_INPUTS)('treats %j literally', (input) => {
    const out = run(input, 5);
    expect(out.artists.length).toBeLessThanOrEqual(5);
    for (const a of out.artists) expect(a.genre.toLowerCase()).toContain(input.toLowerCase());
  });
});
