import { Hono } from 'hono';
import { z } from 'zod';
import { TraceListQuery, type TraceSummary } from '@algorhythm/web/schemas';
import { AppError } from '../../errors.ts';
import type { CustomerDirectory } from '../../customers/directory.ts';
import type { Store } from '../../store/types.ts';
import type { TraceStore } from '../../traces/trace-store.ts';
import { adminAuth, type AdminOptions } from '../middleware/admin-auth.ts';

export interface TraceRoutesDeps {
  traces: TraceStore;
  store: Store;
  directory: CustomerDirectory;
  admin: AdminOptions;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The admin's view of the span store: recent turns, and one turn's spans. */
export function traceRoutes(deps: TraceRoutesDeps) {
  const requireAdmin = adminAuth(deps.admin);

  /** Customer of a conversation, from the host's own records (spans carry no customer). */
  const customerOf = async (conversationId: string | null): Promise<TraceSummary['customer']> => {
    if (!conversationId) return null;
    const conversation = await deps.store.getConversation(conversationId);
    if (!conversation) return null;
    const customer = deps.directory.get(conversation.customerId);
    return { id: conversation.customerId, name: customer?.name ?? `Customer ${conversation.customerId}` };
  };

  return new Hono()
    .get('/api/admin/traces', requireAdmin, async (c) => {
      const query = z.safeParse(TraceListQuery, c.req.query());
      if (!query.success) throw new AppError('bad_request', `Invalid query: ${query.error.issues[0]?.path.join('.') ?? ''}`);
      const q = query.data;
      const page = await deps.traces.list({
        ...(q.agent ? { agent: q.agent } : {}),
        ...(q.model ? { model: q.model } : {}),
        ...(q.tool ? { tool: q.tool } : {}),
        ...(q.conversationId ? { conversationId: q.conversationId } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        errorsOnly: q.errors === 'true',
        turnsOnly: q.all !== 'true',
        limit: Math.min(200, Math.max(1, Number(q.limit ?? 50))),
      });
      const traces = await Promise.all(page.traces.map(async (t) => ({ ...t, customer: await customerOf(t.conversationId) })));
      return c.json({ traces, nextCursor: page.nextCursor });
    })
    .get('/api/admin/traces/:traceId', requireAdmin, async (c) => {
      const traceId = c.req.param('traceId').toLowerCase();
      if (!TRACE_ID.test(traceId)) throw new AppError('bad_request', 'A trace id is 32 hex digits.');
      const spans = await deps.traces.get(traceId);
      if (spans.length === 0) throw new AppError('not_found', 'No spans kept for this trace (it may have been pruned).');
      return c.json({ traceId, spans });
    });
}
