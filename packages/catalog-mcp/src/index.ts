export { createCatalogServer, CATALOG_SERVER_INFO } from './server.ts';
export { openCatalogDb, defaultCatalogDbPath, CatalogDbNotFoundError, type CatalogDb } from './db/open-catalog-db.ts';
export {
  createCatalogHttpApp,
  startCatalogHttpServer,
  MCP_PATH,
  type CatalogHttpApp,
  type CatalogHttpAppOptions,
  type RunningCatalogHttpServer,
  type StartCatalogHttpServerOptions,
} from './http.ts';
export { parseCatalogConfig, type CatalogConfig } from './config.ts';
export type { CatalogToolDeps } from './tools/catalog-tool.ts';
export { catalogTools, registerCatalogTools } from './tools/index.ts';
export type { Track } from './tools/schemas.ts';
export type { GetAlbumsByArtistOutput } from './tools/get-albums-by-artist.ts';
export type { GetTracksByArtistOutput } from './tools/get-tracks-by-artist.ts';
export type { CheckForSongsOutput } from './tools/check-for-songs.ts';
export type { GetArtistsByGenreOutput } from './tools/get-artists-by-genre.ts';
export type { ListGenresOutput } from './tools/list-genres.ts';
export type { GetAlbumTracksOutput } from './tools/get-album-tracks.ts';
