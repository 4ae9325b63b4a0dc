import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS, useCatalogDb } from '../testing/catalog-db.ts';
import { findOtherAlbums, getAlbumTracksInput, queryAlbumTracks, renderAlbumTracks } from './get-album-tracks.ts';

const db = useCatalogDb();
const run = (album: string, limit?: number) => queryAlbumTracks(db, getAlbumTracksInput.parse({ album, limit }));

describe('get_album_tracks query', () => {
  it('lists Let There Be Rock in album order with numbers, durations and prices', () => {
    const out = run('let there be rock');
    expect(out.album).toEqual({ title: 'Let There Be Rock', artist: 'AC/DC' });
    expect(out.truncated).toBe(false);
    expect(out.tracks.map((t) => [t.number, t.name])).toEqual([
      [1, 'Go Down'],
      [2, 'Dog Eat Dog'],
      [3, 'Let There Be Rock'],
      [4, 'Bad Boy Boogie'],
      [5, 'Problem Child'],
      [6, 'Overdose'],
      [7, "Hell Ain't A Bad Place To Be"],
      [8, 'Whole Lotta Rosie'],
    ]);
    expect(out.tracks[0]).toEqual({ number: 1, name: 'Go Down', album: 'Let There Be Rock', artist: 'AC/DC', genre: 'Rock', durationMs: 331180, price: 0.99 });
    const text = renderAlbumTracks(out, findOtherAlbums(db, out));
    expect(text).toMatch(/^Let There Be Rock by AC\/DC \(8 tracks, 40:53 total\):\n1\. Go Down, 5:31, \$0\.99\n/);
    expect(text).not.toContain('Other albums');
  });

  it('picks the exact title over longer ones and names the other matches in the text', () => {
    const out = run('greatest hits', 3);
    expect(out.album).toEqual({ title: 'Greatest Hits', artist: 'Lenny Kravitz' });
    expect(out.tracks).toHaveLength(3);
    expect(out.truncated).toBe(true);
    const text = renderAlbumTracks(out, findOtherAlbums(db, out));
    expect(text).toContain('Other albums also match');
    expect(text).toContain('Greatest Hits I');
  });

  it('answers an unknown album with album: null', () => {
    const out = run('no such album');
    expect(out).toEqual({ query: 'no such album', album: null, tracks: [], truncated: false });
    expect(renderAlbumTracks(out)).toMatch(/^No album found matching 'no such album'/);
  });

  it.each(HOSTILE_INPUTS)('treats %j literally', (input) => {
    const out = run(input, 4);
    expect(out.tracks.length).toBeLessThanOrEqual(4);
    if (out.album) expect(out.album.title.toLowerCase()).toContain(input.toLowerCase());
  });
});
