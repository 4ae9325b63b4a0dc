import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { defaultCatalogDbPath } from './default-path.ts';
import { registerSearchFold } from './search-text.ts';

export type CatalogDb = Database.Database;

export { defaultCatalogDbPath };

/** Thrown when the database file is missing, so entry points can print a fix instead of a stack. */
export class CatalogDbNotFoundError extends Error {
  readonly kind = 'catalog-db-not-found';
  readonly path: string;
  constructor(path: string) {
    super(`Chinook database not found at ${path}. Run \`pnpm db:setup\` at the repo root, or pass --db PATH / set CHINOOK_DB.`);
    this.name = 'CatalogDbNotFoundError';
    this.path = path;
  }
}

/**
 * Opens the Chinook catalog read-only and registers the SQL helpers the tools rely on.
 * Every tool takes this handle through its deps; nothing here is a module-level singleton.
 */
export function openCatalogDb(path: string = defaultCatalogDbPath): CatalogDb {
  if (!existsSync(path)) throw new CatalogDbNotFoundError(path);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  registerSearchFold(db);
  return db;
}
