import type { Store } from '../store/types.ts';
import type { AgentTracing } from './agent-tracing.ts';

/**
 * A Store that reports approvals the expiry sweep closes as decided (`expired`), so the dashboard's
 * outcome panel sees expiries too; decisions by an admin are reported by the approval service.
 */
export function traceApprovalExpiry(store: Store, tracing: AgentTracing): Store {
  return {
    ...store,
    async expireDue(now) {
      const expired = await store.expireDue(now);
      for (const approval of expired) tracing.approvalDecided(approval, Date.parse(now) - Date.parse(approval.createdAt));
      return expired;
    },
  };
}
