import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../db/search-text.ts';
import { HOSTILE_INPUTS, useCatalogDb } from '../testing/catalog-db.ts';
import { getTracksByArtistInput, queryTracksByArtist, renderTracksByArtist } from './get-tracks-by-artist.ts';

const db = useCatalogDb();
const run = (artist: string, limit?: number) => queryTracksByArtist(db, getTracksByArtistInput.parse({ artist, limit }));

describe('get_tracks_by_artist query', () => {
  it("returns AC/DC's 18 tracks in album order with genre, duration and price", () => {
    const out = run('ac/dc', 100);
    expect(out.tracks).toHaveLength(18);
    expect(out.truncated).toBe(false);
    expect(out.tracks[0]).toEqual({
      name: 'For Those About To Rock (We Salute You)',
      album: 'For Those About To Rock We Salute You',
      artist: 'AC/DC',
      genre: 'Rock',
      durationMs: 343719,
      price: 0.99,
    });
    expect(out.tracks.map((t) => t.name)).toContain('Let There Be Rock');
    expect(renderTracksByArtist(out)).toMatch(/^AC\/DC has 18 tracks:\n- For Those About To Rock \(We Salute You\) — .*, Rock, 5:44, \$0\.99/);
  });

  it('caps at the default limit of 25 and flags truncation', () => {
    const out = run('Iron Maiden');
    expect(out.tracks).toHaveLength(25);
    expect(out.truncated).toBe(true);
    expect(run('ac/dc', 18).truncated).toBe(false);
    expect(run('ac/dc', 17).truncated).toBe(true);
  });

  it('finds nothing for an unknown artist', () => {
    const out = run('no such band');
    expect(out.tracks).toEqual([]);
    expect(renderTracksByArtist(out)).toMatch(/^No tracks found for artists matching 'no such band'/);
  });

  it.each(HOSTILE_INPUTS)('treats %j literally', (input) => {
    const out = run(input, 5);
    expect(out.tracks.length).toBeLessThanOrEqual(5);
    for (const t of out.tracks) expect(foldForSearch(t.artist)).toContain(foldForSearch(input));
  });
});
