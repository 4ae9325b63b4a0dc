import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { HttpDeps } from '../deps.ts';
import { endSession, readCustomerId, startSession } from '../middleware/customer-session.ts';
import { parseBody } from '../parse-body.ts';

const LoginBody = z.object({ customerId: z.number().int().positive().max(1_000_000_000) });

/** Demo sign-in: pick a Chinook customer. A real store would put its identity provider here. */
export function sessionRoutes(deps: HttpDeps) {
  return new Hono()
    .get('/api/demo/customers', (c) => c.json({ customers: deps.directory.list() }))
    .post('/api/login', async (c) => {
      const { customerId } = await parseBody(c, LoginBody);
      const customer = deps.directory.get(customerId);
      if (!customer) throw new AppError('not_found', 'No such customer.');
      await startSession(c, deps.session, customer.id);
      deps.warmCustomer?.(customer.id);
      return c.json({ customer: { name: customer.name } });
    })
    .post('/api/logout', (c) => {
      endSession(c);
      return c.json({ ok: true });
    })
    .get('/api/session', async (c) => {
      const customerId = await readCustomerId(c, deps.session);
      const customer = customerId === undefined ? undefined : deps.directory.get(customerId);
      return c.json({ customer: customer ? { name: customer.name } : null, model: deps.model });
    });
}
