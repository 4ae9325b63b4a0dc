import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS, useCatalogDb } from '../testing/catalog-db.ts';
import { foldForSearch } from '../db/search-text.ts';
import { getAlbumsByArtistInput, queryAlbumsByArtist, renderAlbumsByArtist } from './get-albums-by-artist.ts';

const db = useCatalogDb();
const run = (artist: string, limit?: number) => queryAlbumsByArtist(db, getAlbumsByArtistInput.parse({ artist, limit }));

describe('get_albums_by_artist query', () => {
  it("finds AC/DC's two albums with track counts", () => {
    const out = run('AC/DC');
    expect(out).toEqual({
      query: 'AC/DC',
      albums: [
        { title: 'For Those About To Rock We Salute You', artist: 'AC/DC', trackCount: 10 },
        { title: 'Let There Be Rock', artist: 'AC/DC', trackCount: 8 },
      ],
      truncated: false,
    });
    expect(renderAlbumsByArtist(out)).toBe(
      'AC/DC has 2 albums: For Those About To Rock We Salute You (10 tracks); Let There Be Rock (8 tracks).',
    );
  });

  it('matches partially, case- and accent-insensitively, trimming the input', () => {
    expect(run('  ac/dc ').albums).toHaveLength(2);
    const zeppelin = run('zeppelin');
    expect(new Set(zeppelin.albums.map((a) => a.artist))).toEqual(new Set(['Led Zeppelin', 'Dread Zeppelin']));
    expect(run('MOTORHEAD').albums.map((a) => a.artist)).toContain('Motörhead');
  });

  it('ranks the exact artist name above other matches', () => {
    // "Queen" is also a substring of other names; the exact artist comes first.
    expect(run('queen').albums[0]?.artist).toBe('Queen');
  });

  it('caps rows at limit and flags truncation (Iron Maiden has 21 albums)', () => {
    const five = run('Iron Maiden', 5);
    expect(five.albums).toHaveLength(5);
    expect(five.truncated).toBe(true);
    expect(renderAlbumsByArtist(five)).toContain('more exist');
    const all = run('Iron Maiden', 21);
    expect(all.albums).toHaveLength(21);
    expect(all.truncated).toBe(false);
    expect(run('Iron Maiden').albums).toHaveLength(21);
  });

  it('answers nothing-found with an empty list and a helpful text', () => {
    const out = run('xyzzy');
    expect(out).toEqual({ query: 'xyzzy', albums: [], truncated: false });
    expect(renderAlbumsByArtist(out)).toBe("No albums found for artists matching 'xyzzy'. Check the spelling or try part of the name.");
  });

  it.each(HOSTILE_INPUTS)('treats %j literally', (input) => {
    const out = run(input, 10);
    expect(out.albums.length).toBeLessThanOrEqual(10);
    for (const a of out.albums) expect(foldForSearch(a.artist)).toContain(foldForSearch(input));
  });

  it('rejects empty, whitespace-only, oversized and out-of-range arguments in the schema', () => {
    for (const bad of [{ artist: '' }, { artist: '   ' }, { artist: 'x'.repeat(1025) }, { artist: 'a', limit: 0 }, { artist: 'a', limit: 101 }, { artist: 'a', limit: 1.5 }, {}]) {
      expect(getAlbumsByArtistInput.safeParse(bad).success, JSON.stringify(bad).slice(0, 40)).toBe(false);
    }
    expect(getAlbumsByArtistInput.parse({ artist: 'a' }).limit).toBe(25);
  });
});
