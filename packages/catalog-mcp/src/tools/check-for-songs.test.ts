import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../db/search-text.ts';
import { HOSTILE_INPUTS, useCatalogDb } from '../testing/catalog-db.ts';
import { checkForSongsInput, queryCheckForSongs, renderCheckForSongs } from './check-for-songs.ts';

const db = useCatalogDb();
const run = (song_title: string, limit?: number) => queryCheckForSongs(db, checkForSongsInput.parse({ song_title, limit }));

describe('check_for_songs query', () => {
  it('finds Let There Be Rock by AC/DC', () => {
    const out = run('let there be rock');
    expect(out.tracks).toEqual([
      { name: 'Let There Be Rock', album: 'Let There Be Rock', artist: 'AC/DC', genre: 'Rock', durationMs: 366654, price: 0.99 },
    ]);
    expect(renderCheckForSongs(out)).toBe(
      "Yes: 1 track matching 'let there be rock':\n- Let There Be Rock — Let There Be Rock (AC/DC), Rock, 6:07, $0.99",
    );
  });

  it('puts exact titles first, then prefixes', () => {
    const names = run('love', 100).tracks.map((t) => foldForSearch(t.name));
    const firstOther = names.findIndex((n) => !n.startsWith('love'));
    expect(names[0]).toBe('love');
    expect(names.slice(firstOther).every((n) => !n.startsWith('love'))).toBe(true);
  });

  it('caps at limit and flags truncation (114 titles contain "love")', () => {
    const out = run('love', 100);
    expect(out.tracks).toHaveLength(100);
    expect(out.truncated).toBe(true);
  });

  it('matches % and _ literally: ".07%" and "100% HardCore" only', () => {
    expect(run('%').tracks.map((t) => t.name).sort()).toEqual(['.07%', '100% HardCore']);
    expect(run('_').tracks).toEqual([]);
  });

  it.each(HOSTILE_INPUTS)('treats %j literally', (input) => {
    const out = run(input, 3);
    expect(out.tracks.length).toBeLessThanOrEqual(3);
    for (const t of out.tracks) expect(foldForSearch(t.name)).toContain(foldForSearch(input));
  });

  it('for any text: never more rows than asked, every row contains the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }).filter((s) => s.trim().length > 0), fc.integer({ min: 1, max: 100 }), (text, limit) => {
        const out = run(text, limit);
        expect(out.tracks.length).toBeLessThanOrEqual(limit);
        const needle = foldForSearch(text.trim());
        for (const t of out.tracks) expect(foldForSearch(t.name)).toContain(needle);
      }),
      { numRuns: 60 },
    );
  });
});
