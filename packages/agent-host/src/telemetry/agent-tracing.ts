import type { RouteDecision } from '../agents/supervisor.ts';
import type { Role } from '@algorhythm/web/schemas';
import type { ApprovalRecord } from '../store/types.ts';

/** The spans the turn runner opens; model and tool spans come from decorators around ChatModel and ToolSource. */
export interface AgentTracing {
  turn<T>(attributes: { conversationId: string; customerId: number }, fn: () => Promise<T>): Promise<T>;
  agent<T>(agent: Role, conversationId: string, fn: () => Promise<T>): Promise<T>;
  routed(decision: RouteDecision): void;
  approvalRequested(approval: ApprovalRecord): void;
  approvalDecided(approval: ApprovalRecord, waitedMs: number): void;
  /** The active span's W3C traceparent, stored with an approval to link the decision to the asking turn. */
  currentTraceparent(): string | undefined;
}

export const noTracing: AgentTracing = {
  turn: (_attributes, fn) => fn(),
  agent: (_agent, _conversationId, fn) => fn(),
  routed: () => {},
  approvalRequested: () => {},
  approvalDecided: () => {},
  currentTraceparent: () => undefined,
};
