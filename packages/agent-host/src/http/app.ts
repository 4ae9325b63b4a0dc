import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError } from '../errors.ts';
import type { CustomerDirectory } from '../customers/directory.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { Hub } from '../events/hub.ts';
import type { ApprovalRecord, Store } from '../store/types.ts';
import type { TurnRunner } from '../turns/turn-runner.ts';
import { errorHandler } from './errors.ts';
import type { AdminOptions } from './middleware/admin-auth.ts';
import type { SessionOptions } from './middleware/customer-session.ts';
import { adminRoutes } from './routes/admin.ts';
import { chatRoutes } from './routes/chat.ts';
import { healthRoutes } from './routes/health.ts';
import { sessionRoutes } from './routes/session.ts';

export interface HttpDeps {
  store: Store;
  turns: TurnRunner;
  directory: CustomerDirectory;
  conversationEvents: Hub<ChatEvent>;
  approvalEvents: Hub<ApprovalRecord>;
  session: SessionOptions;
  admin: AdminOptions;
  model: { label: string; offline: boolean };
  readiness: () => Promise<Record<string, string>>;
  /** Called after a sign-in, so the customer's support server is up before their first question. */
  warmCustomer?: (customerId: number) => void;
  /** Aborted at shutdown: open SSE streams end. */
  shutdown: AbortSignal;
  /** Built web pages; absent when the web package was not built. */
  webRoot?: string;
  log: (line: string) => void;
  /** Runs before everything else (the telemetry server span), from the composition root. */
  middleware?: MiddlewareHandler[];
}

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
  app.route('/', healthRoutes(deps));
  app.route('/', sessionRoutes(deps));
  app.route('/', chatRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.all('/api/*', (c) => c.json({ error: 'Not found.' }, 404));

  if (deps.webRoot) {
    const root = deps.webRoot;
    app.get('/', serveStatic({ root, path: 'index.html' }));
    app.get('/admin', serveStatic({ root, path: 'admin.html' }));
    app.use('/*', serveStatic({ root }));
  }
  app.notFound((c) => c.json({ error: 'Not found.' }, 404));
  return app;
}
