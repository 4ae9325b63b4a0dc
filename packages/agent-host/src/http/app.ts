import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError } from '../errors.ts';
import type { HttpDeps } from './deps.ts';
import { errorHandler } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { chatRoutes } from './routes/chat.ts';
import { healthRoutes } from './routes/health.ts';
import { otlpRoutes } from './routes/otlp.ts';
import { overviewRoutes } from './routes/overview.ts';
import { traceRoutes } from './routes/traces.ts';
import { sessionRoutes } from './routes/session.ts';

export type { HttpDeps };

/**
 * Every route that checks a credential (demo pick, store token, OpenID Connect callback, admin token): each
 * request counts toward the per-address sign-in limit. A new sign-in route goes here.
 */
const SIGN_IN_PATHS = ['/api/login', '/api/session/token', '/auth/store', '/auth/callback', '/api/admin/login', '/auth/admin/callback'];

export function createApp(deps: HttpDeps) {
  const app = new Hono();
  for (const handler of deps.middleware ?? []) app.use(handler);
  app.onError(errorHandler(deps.log));
  app.use('/api/*', secureHeaders());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new AppError('too_large', 'Request body is too large.');
      },
    }),
  );
  for (const path of SIGN_IN_PATHS) app.use(path, deps.limits.signIn);
  app.route('/', healthRoutes(deps));
  app.route('/', sessionRoutes(deps));
  app.route('/', chatRoutes(deps));
  app.route('/', adminRoutes(deps));
  if (deps.traces) {
    app.route('/', traceRoutes({ traces: deps.traces.store, store: deps.store, directory: deps.directory, admin: deps.admin }));
    app.route('/', overviewRoutes({ traces: deps.traces.store, store: deps.store, admin: deps.admin }));
    app.route('/', otlpRoutes(deps.traces));
  }
  app.all('/api/*', (c) => c.json({ error: 'Not found.' }, 404));

  if (deps.webRoot) {
    const root = deps.webRoot;
    app.get('/', serveStatic({ root, path: 'index.html' }));
    app.get('/admin', serveStatic({ root, path: 'admin.html' }));
    app.get('/admin/traces', serveStatic({ root, path: 'traces.html' }));
    app.get('/admin/overview', serveStatic({ root, path: 'overview.html' }));
    app.use('/*', serveStatic({ root }));
  }
  app.notFound((c) => c.json({ error: 'Not found.' }, 404));
  return app;
}
