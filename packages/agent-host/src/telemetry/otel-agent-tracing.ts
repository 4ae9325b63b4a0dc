import { context, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import {
  AGENT,
  APPROVAL_OUTCOME,
  ATTR,
  approvalDecidedAttributes,
  approvalRequestedAttributes,
  ERROR_TYPE,
  errorTypeOf,
  invokeAgentAttributes,
  linkFromTraceparent,
  markSpanError,
  spanName,
  traceparentOf,
  withSpan,
  withSpanSync,
} from '@algorhythm/telemetry';
import type { ChatModel } from '../model/types.ts';
import type { ApprovalRecord } from '../store/types.ts';
import type { Role } from '../turns/deps.ts';
import type { AgentTracing } from './agent-tracing.ts';
import { agentScope, withAgentScope } from './agent-scope.ts';

/**
 * AgentTracing on OpenTelemetry. A turn is the supervisor's run: `turn()` opens
 * `invoke_agent supervisor`, the routing call happens in it, and the specialist's
 * `invoke_agent {agent}` is its child, so one span's duration is the whole turn (what the
 * dashboard's latency and slowest-turn panels read).
 */
export function createAgentTracing(options: { tracer: Tracer; models?: Partial<Record<Role, ChatModel>> }): AgentTracing {
  const { tracer } = options;
  const agentAttributes = (agentName: Role, conversationId: string) => {
    const model = options.models?.[agentName];
    return invokeAgentAttributes({
      agentName,
      conversationId,
      ...(model ? { provider: model.provider, requestModel: model.modelId } : {}),
    });
  };

  return {
    turn({ conversationId }, fn) {
      return withSpan(
        tracer,
        spanName.invokeAgent(AGENT.supervisor),
        { attributes: agentAttributes('supervisor', conversationId) },
        (span) => context.with(withAgentScope({ agentName: AGENT.supervisor, conversationId, turnSpan: span }), fn),
      );
    },

    async agent(agentName, conversationId, fn) {
      const scope = agentScope();
      if (agentName === AGENT.supervisor && scope?.turnSpan && scope.conversationId === conversationId) {
        // Routing inside the turn: the turn's span is the supervisor's; a failure is the turn's.
        try {
          return await fn();
        } catch (error) {
          scope.turnSpan.recordException(error instanceof Error ? error : String(error));
          markSpanError(scope.turnSpan, errorTypeOf(error), error instanceof Error ? error.message : String(error));
          throw error;
        }
      }
      return withSpan(tracer, spanName.invokeAgent(agentName), { attributes: agentAttributes(agentName, conversationId) }, (span) =>
        context.with(
          withAgentScope({ agentName, conversationId, ...(agentName === AGENT.supervisor ? { turnSpan: span } : {}) }),
          fn,
        ),
      );
    },

    routed(decision) {
      agentScope()?.turnSpan?.setAttribute(ATTR.algorhythmRouteDecision, decision.agent);
    },

    approvalRequested(approval) {
      withSpanSync(
        tracer,
        spanName.requestApproval(),
        {
          attributes: approvalRequestedAttributes({
            approvalId: approval.id,
            toolName: approval.toolCall.name,
            conversationId: approval.conversationId,
          }),
        },
        () => undefined,
      );
    },

    approvalDecided(approval, waitedMs) {
      const link = linkFromTraceparent(approval.traceparent);
      const outcome = outcomeOf(approval);
      const attributes = approvalDecidedAttributes({
        approvalId: approval.id,
        toolName: approval.toolCall.name,
        outcome: outcome ?? '',
        waitSeconds: Math.max(0, waitedMs) / 1000,
        conversationId: approval.conversationId,
      });
      // `failed`: decided, but the server never answered the retried call; which way is not kept.
      if (!outcome) delete attributes[ATTR.algorhythmApprovalOutcome];
      withSpanSync(tracer, spanName.decideApproval(), { ...(link ? { links: [link] } : {}), attributes }, (span) => {
        if (!outcome) markSpanError(span, ERROR_TYPE.other, approval.outcome ?? 'the tool could not complete the request');
      });
    },

    currentTraceparent() {
      const span = trace.getActiveSpan();
      return span ? traceparentOf(span) : undefined;
    },
  };
}

function outcomeOf(approval: ApprovalRecord): string | undefined {
  const { status } = approval;
  return status === 'pending' || status === 'failed' ? undefined : APPROVAL_OUTCOME[status];
}
