import { Hono } from 'hono';
import { z } from 'zod';
import { OverviewQuery, OverviewWindow, type OverviewResponse } from '@algorhythm/web/schemas';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/types.ts';
import { summarizeApprovals } from '../../traces/approval-overview.ts';
import { overviewRange } from '../../traces/overview-window.ts';
import type { TraceStore } from '../../traces/trace-store.ts';
import { adminAuth, type AdminOptions } from '../middleware/admin-auth.ts';

export interface OverviewRoutesDeps {
  traces: TraceStore;
  store: Store;
  admin: AdminOptions;
  clock?: () => number;
}

const DEFAULT_WINDOW: OverviewWindow = '24h';

/** The admin's overview: the dashboard's key panels over a window, from the span store and the approvals. */
export function overviewRoutes(deps: OverviewRoutesDeps) {
  const requireAdmin = adminAuth(deps.admin);
  const clock = deps.clock ?? Date.now;

  return new Hono().get('/api/admin/overview', requireAdmin, async (c) => {
    const query = z.safeParse(OverviewQuery, c.req.query());
    if (!query.success) {
      throw new AppError('bad_request', `Unknown window "${c.req.query('window') ?? ''}": use one of ${OverviewWindow.options.join(', ')}.`);
    }
    const window = query.data.window ?? DEFAULT_WINDOW;
    const now = clock();
    const range = overviewRange(window, now);
    const [traces, activity] = await Promise.all([
      deps.traces.overview(range),
      deps.store.approvalActivity({ decidedSince: new Date(range.fromMs).toISOString(), now: new Date(now).toISOString() }),
    ]);
    const body: OverviewResponse = { window, traces, approvals: summarizeApprovals(activity) };
    return c.json(body);
  });
}
