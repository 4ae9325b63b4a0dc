import { describe, expect, it } from 'vitest';
import { useCatalogDb } from '../testing/catalog-db.ts';
import { queryListGenres, renderListGenres } from './list-genres.ts';

const db = useCatalogDb();

describe('list_genres query', () => {
  it('lists the 25 genres alphabetically with track counts', () => {
    const { genres } = queryListGenres(db);
    expect(genres).toHaveLength(25);
    expect(genres).toContainEqual({ name: 'Rock', trackCount: 1297 });
    expect(genres).toContainEqual({ name: 'Jazz', trackCount: 130 });
    expect(genres.map((g) => g.name)).toEqual([...genres.map((g) => g.name)].sort());
    expect(genres.reduce((n, g) => n + g.trackCount, 0)).toBe(3503);
    expect(renderListGenres({ genres })).toMatch(/^The store has 25 genres: Alternative \(40 tracks\), /);
  });
});
