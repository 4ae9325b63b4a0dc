import { fileURLToPath } from 'node:url';

/** `<repo>/data/chinook.db`, resolved from this file so it works from any cwd. */
export const defaultCatalogDbPath = fileURLToPath(new URL('../../../../data/chinook.db', import.meta.url));
