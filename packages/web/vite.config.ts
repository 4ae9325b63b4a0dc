import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

// Two pages, one bundle graph: `/` (customer chat) and `/admin` (approval queue).
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
      },
    },
  },
  server: {
    // `pnpm --filter @algorhythm/web dev` next to a running host on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
