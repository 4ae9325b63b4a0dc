import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { HttpDeps } from '../deps.ts';
import { adminAuth, endAdminSession, startAdminSession, tokenMatches } from '../middleware/admin-auth.ts';
import { parseBody } from '../parse-body.ts';
import { streamTopic } from '../sse.ts';
import { approvalView } from '../../turns/conversation-view.ts';
import { ApprovalStatus, DecisionRequest } from '@algorhythm/web/schemas';

const LoginBody = z.object({
  token: z.string().min(1).max(512),
  name: z.string().trim().min(1).max(60).optional(),
});
const StatusQuery = z.optional(ApprovalStatus);

export function adminRoutes(deps: HttpDeps) {
  const requireAdmin = adminAuth(deps.admin);
  return new Hono()
    .post('/api/admin/login', async (c) => {
      const body = await parseBody(c, LoginBody);
      if (!tokenMatches(deps.admin.token, body.token)) throw new AppError('unauthorized', 'Invalid admin token.');
      await startAdminSession(c, deps.admin, body.name ?? 'admin');
      return c.json({ ok: true });
    })
    .post('/api/admin/logout', (c) => {
      endAdminSession(c);
      return c.json({ ok: true });
    })
    .get('/api/admin/session', requireAdmin, (c) => c.json({ admin: { name: c.get('adminName') } }))
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
      const approval = await deps.turns.decide(c.req.param('id'), { answer, decidedBy: c.get('adminName') });
      return c.json(approvalView(approval));
    });
}
