import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

// The pages, one bundle graph: `/` (customer chat), `/admin` (approval queue), `/admin/traces`, `/admin/overview`.
// The agent host serves `dist` statically; every asset lands under `/assets/`.
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        admin: resolve(root, 'admin.html'),
        traces: resolve(root, 'traces.html'),
        overview: resolve(root, 'overview.html'),
      },
      // zod's sources carry /*@__PURE__*/ comments Rollup cannot place; harmless, and not ours to fix.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      // Code both pages use (API client, zod, shared styles) goes in one `shared` chunk.
      output: { chunkFileNames: 'assets/shared-[hash].js' },
    },
  },
  server: {
    // `pnpm --filter @algorhythm/web dev` next to a running host on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
