import { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';

export function healthRoutes(deps: HttpDeps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const checks = await deps.readiness();
      const ready = Object.values(checks).every((check) => check === 'ok');
      return ready ? c.json({ status: 'ready', checks }) : c.json({ error: 'not ready', checks }, 503);
    });
}
