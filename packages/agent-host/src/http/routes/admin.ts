import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { HttpDeps } from '../deps.ts';
import { hasRole } from '../../auth/sign-in-methods.ts';
import { pendingCookie, safeReturnTo } from '../../auth/pending-cookie.ts';
import { adminAuth, approverLabel, endAdminSession, startAdminSession, TOKEN_IDENTITY, tokenMatches } from '../middleware/admin-auth.ts';
import { signInProblem } from '../sign-in-problem.ts';
import { parseBody } from '../parse-body.ts';
import { streamTopic } from '../sse.ts';
import { approvalView } from '../../turns/conversation-view.ts';
import { ApprovalStatus, DecisionRequest } from '@algorhythm/web/schemas';

const LoginBody = z.object({ token: z.string().min(1).max(512) });
const StatusQuery = z.optional(ApprovalStatus);

/**
 * The admin queue and the admin's sign-in: with the shared token (demo mode; a service identity, never a
 * typed name) or through OpenID Connect with the configured role, the approver being who signed in. In OIDC
 * mode the token sign-in answers 404; the token still works as a bearer for scripts.
 */
export function adminRoutes(deps: HttpDeps) {
  const requireAdmin = adminAuth(deps.admin);
  const method = deps.signIn.admin;
  const app = new Hono();
  if (method.mode === 'token') {
    app.post('/api/admin/login', async (c) => {
      const body = await parseBody(c, LoginBody);
      if (!tokenMatches(deps.admin.token, body.token)) throw new AppError('unauthorized', 'Invalid admin token.');
      await startAdminSession(c, deps.admin, TOKEN_IDENTITY);
      return c.json({ ok: true });
    });
  } else {
    const pending = pendingCookie('algorhythm_oidc_admin', deps.admin);
    app
      .get('/auth/admin/login', async (c) => {
        const { url, pending: state } = await method.oidc.start(safeReturnTo(c.req.query('returnTo'), '/admin'));
        await pending.save(c, state);
        return c.redirect(url.href, 302);
      })
      .get('/auth/admin/callback', async (c) => {
        const state = await pending.take(c);
        if (!state) return signInProblem(c, 400, 'This sign-in took too long or was started elsewhere. Please sign in again.', '/admin');
        let claims;
        try {
          claims = await method.oidc.finish(new URL(c.req.url), state);
        } catch (error) {
          deps.log(`admin sign-in refused by OpenID Connect checks: ${error instanceof Error ? error.message : String(error)}`);
          return signInProblem(c, 401, 'The sign-in could not be completed. Please sign in again.', '/admin');
        }
        const subject = typeof claims.sub === 'string' ? claims.sub : '';
        const name = [claims.name, claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v !== '') ?? subject;
        if (!subject || !hasRole(claims, method.roleClaim, method.role)) {
          return signInProblem(c, 403, `${name || 'This account'} is signed in but is not an Algorhythm admin (role ${method.role}).`, '/admin');
        }
        await startAdminSession(c, deps.admin, { subject, name });
        return c.redirect(state.returnTo, 303);
      });
  }
  return app
    .post('/api/admin/logout', (c) => {
      endAdminSession(c);
      return c.json({ ok: true });
    })
    .get('/api/admin/session', requireAdmin, (c) => c.json({ admin: c.get('admin') }))
    .get('/api/admin/approvals', requireAdmin, async (c) => {
      const status = StatusQuery.safeParse(c.req.query('status') || undefined);
      if (!status.success) throw new AppError('bad_request', `status must be one of ${ApprovalStatus.options.join(', ')}.`);
      const approvals = await deps.store.listApprovals({ ...(status.data ? { status: status.data } : {}), limit: 200 });
      return c.json({ approvals: approvals.map(approvalView) });
    })
    .get('/api/admin/approvals/events', requireAdmin, (c) =>
      streamTopic(c, {
        hub: deps.approvalEvents,
        topic: 'approvals',
        encode: (approval) => ({ event: 'approval', data: JSON.stringify(approvalView(approval)) }),
        shutdown: deps.shutdown,
      }),
    )
    .post('/api/admin/approvals/:id/decision', requireAdmin, async (c) => {
      const answer = await parseBody(c, DecisionRequest);
      const approval = await deps.turns.decide(c.req.param('id'), { answer, decidedBy: approverLabel(c.get('admin')) });
      return c.json(approvalView(approval));
    });
}
