// Node-side entry of @algorhythm/web: where the built pages are, for the agent host to serve statically.
//   /        → index.html (customer chat)
//   /admin   → admin.html (approval queue)
//   /assets/* → hashed JS, CSS and icons (cacheable for a year)
import { fileURLToPath } from 'node:url';

/** Absolute path of the Vite build output (`pnpm --filter @algorhythm/web build`). */
export const webRoot: string = fileURLToPath(new URL('../dist', import.meta.url));

/** Page files inside `webRoot`, by route. */
export const pages: Readonly<Record<'/' | '/admin', string>> = {
  '/': 'index.html',
  '/admin': 'admin.html',
};
