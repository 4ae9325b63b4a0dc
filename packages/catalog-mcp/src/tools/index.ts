import type { McpServer } from '@modelcontextprotocol/server';
import { registerCheckForSongsTool } from './check-for-songs.ts';
import type { CatalogToolDeps } from './catalog-tool.ts';
import { registerGetAlbumTracksTool } from './get-album-tracks.ts';
import { registerGetAlbumsByArtistTool } from './get-albums-by-artist.ts';
import { registerGetArtistsByGenreTool } from './get-artists-by-genre.ts';
import { registerGetTracksByArtistTool } from './get-tracks-by-artist.ts';
import { registerListGenresTool } from './list-genres.ts';

/** The catalog tools, in the order tools/list shows them. */
export const catalogTools = [
  registerGetAlbumsByArtistTool,
  registerGetTracksByArtistTool,
  registerCheckForSongsTool,
  registerGetArtistsByGenreTool,
  registerListGenresTool,
  registerGetAlbumTracksTool,
] as const;

export function registerCatalogTools(server: McpServer, deps: CatalogToolDeps): void {
  for (const register of catalogTools) register(server, deps);
}
