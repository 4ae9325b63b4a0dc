import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { StoreTokenError } from '../../auth/store-token.ts';
import { pendingCookie, safeReturnTo } from '../../auth/pending-cookie.ts';
import { AppError } from '../../errors.ts';
import type { HttpDeps } from '../deps.ts';
import { endSession, readCustomerId, startSession } from '../middleware/customer-session.ts';
import { parseBody } from '../parse-body.ts';
import { signInProblem } from '../sign-in-problem.ts';

const LoginBody = z.object({ customerId: z.number().int().positive().max(1_000_000_000) });
const TokenBody = z.object({ token: z.string().min(16).max(8192) });

/**
 * How a customer gets a session, by the configured mode: the demo picker (`/api/demo/customers`,
 * `POST /api/login`; absent in every other mode, so they answer 404), a store-signed token
 * (`GET /auth/store?token=`, `POST /api/session/token`), or OpenID Connect (`/auth/login`, `/auth/callback`).
 */
export function sessionRoutes(deps: HttpDeps) {
  const method = deps.signIn.customer;
  const app = new Hono();
  const begin = async (c: Context, customerId: number) => {
    const customer = deps.directory.get(customerId);
    if (!customer) return undefined;
    const refused = await deps.limits.customerSignIn(c, customer.id);
    if (refused) throw new HTTPException(429, { res: refused });
    await startSession(c, deps.session, customer.id);
    deps.warmCustomer?.(customer.id);
    return customer;
  };

  if (method.mode === 'demo') {
    app
      .get('/api/demo/customers', (c) => c.json({ customers: deps.directory.list() }))
      .post('/api/login', async (c) => {
        const { customerId } = await parseBody(c, LoginBody);
        const customer = await begin(c, customerId);
        if (!customer) throw new AppError('not_found', 'No such customer.');
        return c.json({ customer: { name: customer.name } });
      });
  }

  if (method.mode === 'store-token') {
    const verified = async (c: Context, token: string) => {
      let customerId;
      try {
        customerId = await method.verify(token);
      } catch (error) {
        if (error instanceof StoreTokenError) throw new AppError('unauthorized', error.message);
        throw error;
      }
      const customer = await begin(c, customerId);
      if (!customer) throw new AppError('unauthorized', 'This sign-in link names no customer of this store.');
      return customer;
    };
    app
      // The store's page redirects here (a link or a form post from its "Chat with us" button).
      .get('/auth/store', async (c) => {
        c.header('referrer-policy', 'no-referrer');
        try {
          await verified(c, c.req.query('token') ?? '');
        } catch (error) {
          if (error instanceof AppError) return signInProblem(c, 401, error.message);
          throw error;
        }
        return c.redirect('/', 303);
      })
      // An embedding page hands the token over in the body instead.
      .post('/api/session/token', async (c) => {
        const { token } = await parseBody(c, TokenBody);
        const customer = await verified(c, token);
        return c.json({ customer: { name: customer.name } });
      });
  }

  if (method.mode === 'oidc') {
    const pending = pendingCookie('algorhythm_oidc', deps.session);
    app
      .get('/auth/login', async (c) => {
        const { url, pending: state } = await method.oidc.start(safeReturnTo(c.req.query('returnTo')));
        await pending.save(c, state);
        return c.redirect(url.href, 302);
      })
      .get('/auth/callback', async (c) => {
        const state = await pending.take(c);
        if (!state) return signInProblem(c, 400, 'This sign-in took too long or was started elsewhere. Please sign in again.');
        let claims;
        try {
          claims = await method.oidc.finish(new URL(c.req.url), state);
        } catch (error) {
          deps.log(`customer sign-in refused by OpenID Connect checks: ${error instanceof Error ? error.message : String(error)}`);
          return signInProblem(c, 401, 'The sign-in could not be completed. Please sign in again.');
        }
        const value = claims[method.customerClaim];
        const found =
          method.customerClaim === 'email'
            ? typeof value === 'string' && claims.email_verified !== false ? deps.directory.findByEmail(value) : undefined
            : typeof value === 'number' || (typeof value === 'string' && /^\d{1,9}$/.test(value))
              ? deps.directory.get(Number(value))
              : undefined;
        if (!found) return signInProblem(c, 403, 'You are signed in with your store account, but no customer record matches it.');
        await begin(c, found.id);
        return c.redirect(state.returnTo, 303);
      });
  }

  return app
    .get('/api/auth', (c) => c.json({ customer: method.mode, admin: deps.signIn.admin.mode }))
    .post('/api/logout', (c) => {
      endSession(c);
      return c.json({ ok: true });
    })
    .get('/api/session', async (c) => {
      const customerId = await readCustomerId(c, deps.session);
      const customer = customerId === undefined ? undefined : deps.directory.get(customerId);
      return c.json({ customer: customer ? { name: customer.name } : null, model: deps.model, signIn: method.mode });
    });
}
