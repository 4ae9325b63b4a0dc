import type Database from 'better-sqlite3';

/** Name of the SQL function that folds text for matching; see {@link foldForSearch}. */
export const FOLD_SQL_FUNCTION = 'catalog_fold';

const COMBINING_MARKS = /\p{M}/gu;
// SQLite's LIKE reads its pattern as a C string: a NUL would silently end the pattern and widen the match.
const NUL = /\u0000/g;

/**
 * Lower-cases, strips diacritics and NULs so "motorhead" finds "Motörhead" and "JOBIM" finds "Antônio Carlos Jobim".
 * SQLite's own LIKE and lower() only fold ASCII, hence a JS function registered on the connection.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(NUL, '').toLowerCase();
}

/** Escapes LIKE wildcards so user text always matches literally; pair it with `ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The `?` parameter for `catalog_fold(column) LIKE ? ESCAPE '\'`: a literal, case- and accent-insensitive substring match. */
export function containsPattern(text: string): string {
  return `%${escapeLike(foldForSearch(text))}%`;
}

/** The parameter for a prefix match of the same kind, used to rank prefix hits above other substring hits. */
export function prefixPattern(text: string): string {
  return `${escapeLike(foldForSearch(text))}%`;
}

export function registerSearchFold(db: Database.Database): void {
  db.function(FOLD_SQL_FUNCTION, { deterministic: true, varargs: false }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : value,
  );
}

/** Named parameters for {@link matchWhere} and {@link matchRank}. */
export interface MatchParams {
  exact: string;
  prefix: string;
  contains: string;
}

export function matchParams(text: string): MatchParams {
  return { exact: foldForSearch(text), prefix: prefixPattern(text), contains: containsPattern(text) };
}

/** `WHERE` fragment: `column` contains the searched text (bind {@link matchParams}). `column` is always a constant of ours. */
export function matchWhere(column: string): string {
  return `${FOLD_SQL_FUNCTION}(${column}) LIKE @contains ESCAPE '\\'`;
}

/** `ORDER BY` fragment: exact match first, then prefix matches, then other substring matches. */
export function matchRank(column: string): string {
  return `CASE WHEN ${FOLD_SQL_FUNCTION}(${column}) = @exact THEN 0 WHEN ${FOLD_SQL_FUNCTION}(${column}) LIKE @prefix ESCAPE '\\' THEN 1 ELSE 2 END`;
}
