import { context, createContextKey } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';

/**
 * Which agent is working for which conversation, carried in the OTel context (not baggage: it never
 * leaves the process) so the model and tool decorators can stamp `gen_ai.agent.name` and
 * `gen_ai.conversation.id` without the ChatModel or ToolSource interfaces knowing about agents.
 */
export interface AgentScope {
  agentName: string;
  conversationId: string;
  /** The turn's `invoke_agent supervisor` span: the route decision and routing failures land on it. */
  turnSpan?: Span;
}

const AGENT_SCOPE = createContextKey('algorhythm.agent-scope');

export function withAgentScope(scope: AgentScope, base: Context = context.active()): Context {
  return base.setValue(AGENT_SCOPE, scope);
}

export function agentScope(ctx: Context = context.active()): AgentScope | undefined {
  return ctx.getValue(AGENT_SCOPE) as AgentScope | undefined;
}
