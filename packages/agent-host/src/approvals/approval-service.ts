import { toModelHistory } from '../agents/history.ts';
import { SPECIALIST_PROMPTS } from '../agents/prompts.ts';
import { runSpecialist } from '../agents/specialist-loop.ts';
import { AppError } from '../errors.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { ChatMessage, ToolResultPart } from '../model/types.ts';
import type { ApprovalRecord, Decision } from '../store/types.ts';
import type { AssistantDeps } from '../turns/deps.ts';

const RETRIES = 3;

/**
 * Admin decisions on refund approvals. A decision is claimed atomically (one winner, others 409), then the
 * host retries the same `tools/call` with the human's answer and the server's sealed state. Everything it
 * needs is in the approval record, so a decision made after a restart completes the refund exactly once.
 */
export function createApprovalService(deps: AssistantDeps) {
  const now = () => deps.clock().toISOString();
  const background = new Set<Promise<unknown>>();

  const track = (task: Promise<unknown>) => {
    const tracked = task.catch((error: unknown) => deps.log(`background work failed: ${String(error)}`));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
  };

  const publish = (approval: ApprovalRecord) => {
    deps.approvalEvents.publish('approvals', approval);
    deps.conversationEvents.publish(approval.conversationId, approvalEvent(approval));
  };

  async function decide(id: string, input: { decision: Decision; decidedBy: string; note: string | null }) {
    const claim = await deps.store.claimDecision(id, { ...input, now: now() });
    switch (claim.type) {
      case 'not_found':
        throw new AppError('not_found', 'Approval not found.');
      case 'already_decided':
        throw new AppError('conflict', `This approval was already ${claim.approval.status}.`);
      case 'expired':
        await announceExpiry([claim.approval]);
        throw new AppError('conflict', 'This approval has expired.');
      case 'claimed':
        publish(claim.approval);
        return complete(claim.approval);
    }
  }

  /** Sends the human's answer to the server and records the tool result; then resumes the specialist. */
  async function complete(approval: ApprovalRecord): Promise<ApprovalRecord> {
    return deps.withLock(approval.conversationId, async () => {
      const result = await retryToolCall(approval);
      const recorded = await deps.store.completeApproval(approval.id, {
        ...(result.status ? { status: result.status } : {}),
        outcome: result.outcome,
        now: now(),
        messages: result.messages.map((message) => ({ message, agent: approval.agent })),
      });
      if (!recorded.completedNow) return recorded.approval;
      deps.tracing.approvalDecided(
        recorded.approval,
        Date.parse(recorded.approval.decidedAt ?? now()) - Date.parse(recorded.approval.createdAt),
      );
      publish(recorded.approval);
      track(resume(recorded.approval));
      return recorded.approval;
    });
  }

  async function retryToolCall(approval: ApprovalRecord): Promise<{
    status?: 'failed';
    outcome: string;
    messages: ChatMessage[];
  }> {
    const inputResponses = {
      [approval.inputKey]:
        approval.status === 'approved'
          ? { action: 'accept', content: { approve: true, approver: approval.decidedBy ?? 'admin', note: approval.note ?? '' } }
          : { action: 'decline' },
    };
    const call = { id: `approval-${approval.id}`, name: approval.toolName, arguments: approval.arguments };
    let lastError: unknown;
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      try {
        const outcome = await deps.support
          .connectionFor(approval.customerId)
          .callTool(call, { inputResponses, requestState: approval.requestState });
        if (outcome.type === 'input_required') {
          lastError = new Error('the server asked for approval again');
          break;
        }
        return {
          // The server answered but refused (e.g. the invoice changed, or its database stayed locked): nothing was
          // refunded, so the approval must not read as approved. The customer may ask again.
          ...(outcome.result.isError ? { status: 'failed' as const } : {}),
          outcome: outcomeText(outcome.result),
          messages: [
            { role: 'assistant', content: [{ type: 'tool-call', ...call }] },
            { role: 'tool', content: [outcome.result] },
          ],
        };
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    deps.log(`approval ${approval.id}: the support service did not complete the refund: ${reason}`);
    const text = `I'm sorry: the refund for invoice ${approval.invoiceId} could not be completed because our support system did not answer. Nothing was refunded; please ask again later.`;
    return {
      status: 'failed',
      outcome: `Failed: ${reason}`,
      messages: [{ role: 'assistant', content: [{ type: 'text', text }] }],
    };
  }

  /** Lets the specialist answer the customer from the tool result, streamed to anyone listening. */
  async function resume(approval: ApprovalRecord) {
    const emit = (event: ChatEvent) => deps.conversationEvents.publish(approval.conversationId, event);
    await deps.withLock(approval.conversationId, async () => {
      const stored = await deps.store.loadMessages(approval.conversationId);
      const last = stored.at(-1)?.message;
      if (last?.role !== 'tool') {
        const text = last?.role === 'assistant' ? last.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') : '';
        emit({ type: 'delta', text });
        emit({ type: 'done', conversationId: approval.conversationId, reply: text, route: approval.agent });
        return;
      }
      await deps.tracing.turn({ conversationId: approval.conversationId, customerId: approval.customerId }, async () => {
        emit({ type: 'route', agent: approval.agent, reason: 'refund decision' });
        try {
          const step = await deps.tracing.agent(approval.agent, approval.conversationId, () =>
            runSpecialist({
              model: deps.models[approval.agent],
              system: SPECIALIST_PROMPTS[approval.agent],
              tools: deps.support.forCustomer(approval.customerId),
              history: toModelHistory(stored.map((entry) => entry.message)),
              maxSteps: deps.maxSteps,
              emit,
            }),
          );
          await deps.store.appendMessages(
            approval.conversationId,
            step.messages.map((message) => ({ message, agent: approval.agent })),
            now(),
          );
          emit({ type: 'done', conversationId: approval.conversationId, reply: step.text, route: approval.agent });
        } catch (error) {
          deps.log(`resume of ${approval.conversationId} failed: ${String(error)}`);
          emit({ type: 'error', message: 'The refund was decided, but the assistant could not write the answer. Reload to see the outcome.' });
        }
      });
    });
  }

  async function announceExpiry(expired: ApprovalRecord[]) {
    for (const approval of expired) {
      const text = `The refund request for invoice ${approval.invoiceId} expired before a store admin decided. Nothing was refunded; you can ask again any time.`;
      await deps.store.appendMessages(
        approval.conversationId,
        [{ message: { role: 'assistant', content: [{ type: 'text', text }] }, agent: approval.agent }],
        now(),
      );
      publish(approval);
      deps.conversationEvents.publish(approval.conversationId, { type: 'delta', text });
      deps.conversationEvents.publish(approval.conversationId, {
        type: 'done',
        conversationId: approval.conversationId,
        reply: text,
        route: approval.agent,
      });
    }
  }

  return {
    decide,
    async sweepExpired() {
      const expired = await deps.store.expireDue(now());
      await announceExpiry(expired);
      return expired.length;
    },
    /** Decisions taken before a restart whose tool call never completed. */
    async recover() {
      const unfinished = await deps.store.listUnfinished();
      for (const approval of unfinished) track(complete(approval));
      return unfinished.length;
    },
    async drain() {
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}

export function approvalEvent(approval: ApprovalRecord): ChatEvent {
  return {
    type: 'approval',
    id: approval.id,
    status: approval.status,
    invoiceId: approval.invoiceId,
    amount: approval.amount,
  };
}

function outcomeText(result: ToolResultPart): string {
  const structured = result.structured as { message?: unknown } | undefined;
  return typeof structured?.message === 'string' ? structured.message : result.output.slice(0, 500);
}
