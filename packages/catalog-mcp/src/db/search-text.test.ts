import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { containsPattern, escapeLike, foldForSearch, matchParams, matchRank, matchWhere, registerSearchFold } from './search-text.ts';

describe('foldForSearch', () => {
  it('lower-cases and strips accents', () => {
    expect(foldForSearch('Motörhead')).toBe('motorhead');
    expect(foldForSearch('Antônio Carlos Jobim')).toBe('antonio carlos jobim');
    expect(foldForSearch('AC/DC')).toBe('ac/dc');
  });
});

describe('escapeLike', () => {
  it('escapes the wildcards and the escape character itself', () => {
    expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
    expect(containsPattern("O'Brien %")).toBe("%o'brien \\%%");
  });
});

describe('LIKE matching in SQLite', () => {
  const db = new Database(':memory:');
  registerSearchFold(db);
  afterAll(() => db.close());
  const matches = db.prepare<unknown[], { hit: number }>(`SELECT ${matchWhere('@haystack')} AS hit, ${matchRank('@haystack')} AS rank`);

  it('is a literal, case- and accent-insensitive substring test for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 6 }), (hay, needle) => {
        const row = matches.get({ haystack: hay, ...matchParams(needle) });
        expect(row?.hit === 1).toBe(foldForSearch(hay).includes(foldForSearch(needle)));
      }),
      { numRuns: 200 },
    );
  });

  it('never lets % or _ act as wildcards', () => {
    for (const [hay, needle, expected] of [
      ['abc', '%', false],
      ['abc', '_', false],
      ['a%c', '%', true],
      ['a_c', 'a_c', true],
      ['abc', 'a_c', false],
      ['a\\c', '\\', true],
    ] as const) {
      expect(matches.get({ haystack: hay, ...matchParams(needle) })?.hit === 1, `${hay} ~ ${needle}`).toBe(expected);
    }
  });
});
