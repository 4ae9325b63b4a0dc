import { randomUUID } from 'node:crypto';
import { toModelHistory } from '../agents/history.ts';
import { SPECIALIST_PROMPTS } from '../agents/prompts.ts';
import { runSpecialist, type LoopStep } from '../agents/specialist-loop.ts';
import { routeTurn, type RouteDecision } from '../agents/supervisor.ts';
import { AppError } from '../errors.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { ChatMessage } from '../model/types.ts';
import { ModelError } from '../model/types.ts';
import type { PendingInput, ToolSource } from '../mcp/types.ts';
import type { AgentName, ApprovalRecord, ConversationRecord } from '../store/types.ts';
import type { AssistantDeps } from './deps.ts';

export interface TurnResult {
  conversationId: string;
  reply: string;
  route: AgentName | null;
  approval?: { id: string; status: ApprovalRecord['status'] };
}

const TITLE_LENGTH = 60;

export function createTurnRunner(deps: AssistantDeps) {
  const now = () => deps.clock().toISOString();

  async function ownConversation(customerId: number, conversationId: string): Promise<ConversationRecord> {
    const conversation = await deps.store.getConversation(conversationId);
    // Someone else's conversation is answered exactly like a missing one.
    if (!conversation || conversation.customerId !== customerId) throw new AppError('not_found', 'Conversation not found.');
    return conversation;
  }

  function toolsFor(agent: AgentName, customerId: number): ToolSource {
    return agent === 'music_expert' ? deps.catalog : deps.support.forCustomer(customerId);
  }

  async function runTurn(input: {
    customerId: number;
    conversationId?: string;
    message: string;
    emit: (event: ChatEvent) => void;
    signal?: AbortSignal;
  }): Promise<TurnResult> {
    const conversation = input.conversationId
      ? await ownConversation(input.customerId, input.conversationId)
      : await deps.store.createConversation({
          id: randomUUID(),
          customerId: input.customerId,
          title: input.message.replace(/\s+/g, ' ').trim().slice(0, TITLE_LENGTH),
          now: now(),
        });
    input.emit({ type: 'conversation', id: conversation.id });

    return deps.withLock(conversation.id, () =>
      deps.tracing.turn({ conversationId: conversation.id, customerId: input.customerId }, async () => {
        const stored = await deps.store.loadMessages(conversation.id);
        const userMessage: ChatMessage = { role: 'user', content: input.message };
        await deps.store.appendMessages(conversation.id, [{ message: userMessage, agent: null }], now());
        const history = toModelHistory([...stored.map((entry) => entry.message), userMessage]);
        const previous = [...stored].reverse().find((entry) => entry.agent)?.agent ?? null;

        let decision: RouteDecision;
        try {
          decision = await routeWithTracing(history, previous, conversation.id, input.signal);
        } catch (error) {
          return failTurn(conversation.id, error, null, input.emit);
        }
        input.emit({ type: 'route', agent: decision.agent, reason: decision.reason });

        let outcome: { step: LoopStep; approval?: ApprovalRecord };
        try {
          // The approval record (and its amount look-up) belongs to the specialist that asked for it.
          outcome = await deps.tracing.agent(decision.agent, conversation.id, async () => {
            const step = await runSpecialist({
              model: deps.models[decision.agent],
              system: SPECIALIST_PROMPTS[decision.agent],
              tools: toolsFor(decision.agent, input.customerId),
              history,
              maxSteps: deps.maxSteps,
              emit: input.emit,
              ...(input.signal ? { signal: input.signal } : {}),
            });
            if (step.type !== 'approval') return { step };
            const approval = await requestApproval({
              conversation,
              customerId: input.customerId,
              agent: decision.agent,
              call: step.call,
              input: step.input,
            });
            return { step, approval };
          });
        } catch (error) {
          return failTurn(conversation.id, error, decision.agent, input.emit);
        }
        return finishStep({ conversation, agent: decision.agent, ...outcome, emit: input.emit });
      }),
    );
  }

  function routeWithTracing(history: ChatMessage[], previous: AgentName | null, conversationId: string, signal?: AbortSignal) {
    return deps.tracing.agent('supervisor', conversationId, async () => {
      const { decision } = await routeTurn({
        model: deps.models.supervisor,
        history,
        previous,
        ...(signal ? { signal } : {}),
      });
      deps.tracing.routed(decision);
      return decision;
    });
  }

  async function failTurn(
    conversationId: string,
    error: unknown,
    route: AgentName | null,
    emit: (event: ChatEvent) => void,
  ): Promise<TurnResult> {
    const message = describeFailure(error);
    deps.log(`turn failed in ${conversationId}: ${error instanceof Error ? error.message : String(error)}`);
    emit({ type: 'error', message });
    return { conversationId, reply: message, route };
  }

  /** Persists what the loop produced and tells the customer; an approval becomes a durable record. */
  async function finishStep(options: {
    conversation: ConversationRecord;
    agent: AgentName;
    step: LoopStep;
    approval?: ApprovalRecord | undefined;
    emit: (event: ChatEvent) => void;
  }): Promise<TurnResult> {
    const { conversation, agent, step, emit } = options;
    const messages = step.messages.map((message) => ({ message, agent }));

    if (step.type !== 'approval') {
      if (step.type === 'limit') {
        messages.push({ message: { role: 'assistant', content: [{ type: 'text', text: step.text }] }, agent });
      }
      await deps.store.appendMessages(conversation.id, messages, now());
      emit({ type: 'done', conversationId: conversation.id, reply: step.text, route: agent });
      return { conversationId: conversation.id, reply: step.text, route: agent };
    }

    const approval = options.approval;
    if (!approval) throw new Error('an approval step must carry its approval record');
    const waiting = waitingText(approval);
    messages.push({ message: { role: 'assistant', content: [{ type: 'text', text: waiting }] }, agent });
    await deps.store.appendMessages(conversation.id, messages, now());
    emit({ type: 'approval', id: approval.id, status: approval.status, invoiceId: approval.invoiceId, amount: approval.amount });
    const separator = step.text ? '\n\n' : '';
    emit({ type: 'delta', text: separator + waiting });
    const reply = step.text + separator + waiting;
    emit({ type: 'done', conversationId: conversation.id, reply, route: agent });
    return { conversationId: conversation.id, reply, route: agent, approval: { id: approval.id, status: approval.status } };
  }

  async function requestApproval(options: {
    conversation: ConversationRecord;
    customerId: number;
    agent: AgentName;
    call: { id: string; name: string; arguments: Record<string, unknown> };
    input: PendingInput;
  }): Promise<ApprovalRecord> {
    const invoiceId = Number(options.call.arguments.invoice_id);
    // Asked again while pending: the same approval. The store enforces one pending approval per customer and
    // invoice (a unique index), so conversations asking at the same moment, in any host process, get one.
    const existing = Number.isInteger(invoiceId) ? await deps.store.findPending(options.customerId, invoiceId) : undefined;
    return existing ?? createApproval(options, invoiceId);
  }

  async function createApproval(
    options: Parameters<typeof requestApproval>[0],
    invoiceId: number,
  ): Promise<ApprovalRecord> {
    const created = deps.clock();
    const result = await deps.store.createApproval({
      id: deps.newId(),
      conversationId: options.conversation.id,
      customerId: options.customerId,
      customerName: deps.directory.get(options.customerId)?.name ?? `Customer ${options.customerId}`,
      agent: options.agent,
      toolName: options.call.name,
      toolCallId: options.call.id,
      arguments: options.call.arguments,
      inputKey: options.input.inputKey,
      message: options.input.message,
      requestedSchema: options.input.requestedSchema,
      requestState: options.input.requestState,
      invoiceId,
      amount: await invoiceTotal(options.customerId, invoiceId),
      reason: typeof options.call.arguments.reason === 'string' ? options.call.arguments.reason : null,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + deps.approvalTtlMs).toISOString(),
      traceparent: deps.tracing.currentTraceparent() ?? null,
    });
    if (result.type === 'created') {
      deps.tracing.approvalRequested(result.approval);
      deps.approvalEvents.publish('approvals', result.approval);
    }
    return result.approval;
  }

  /** The amount shown to the admin, read in the customer's own scope (the server computes what is refunded). */
  async function invoiceTotal(customerId: number, invoiceId: number): Promise<number> {
    const outcome = await deps.support
      .forCustomer(customerId)
      .callTool({ id: `amount-${randomUUID()}`, name: 'get_invoice', arguments: { invoice_id: invoiceId } });
    const structured = outcome.type === 'result' ? (outcome.result.structured as { invoice?: { total?: unknown } }) : undefined;
    const total = Number(structured?.invoice?.total);
    return Number.isFinite(total) ? total : 0;
  }

  return { runTurn, ownConversation, toolsFor };
}

export function waitingText(approval: ApprovalRecord): string {
  return `Your refund request for invoice ${approval.invoiceId} ($${approval.amount.toFixed(2)}) is waiting for a store admin's approval. I'll post the outcome here as soon as it is decided.`;
}

function describeFailure(error: unknown): string {
  if (error instanceof ModelError) {
    if (error.kind === 'rate_limit') return 'The assistant is busy right now (rate limited). Please try again in a moment.';
    if (error.kind === 'timeout') return 'The assistant took too long to answer. Please try again.';
    if (error.kind === 'auth') return 'The assistant is not configured correctly (the model provider refused our credentials).';
    return 'The assistant could not answer just now. Please try again.';
  }
  return 'Something went wrong while answering. Please try again.';
}
