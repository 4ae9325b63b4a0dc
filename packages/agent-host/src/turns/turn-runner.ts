import { randomUUID } from 'node:crypto';
import { checkContent, parseForm } from '@algorhythm/web/elicitation-form';
import type { ElicitationAnswer } from '@algorhythm/web/schemas';
import { toModelHistory } from '../agents/history.ts';
import { SPECIALIST_PROMPTS } from '../agents/prompts.ts';
import { runSpecialist, type LoopStep } from '../agents/specialist-loop.ts';
import { routeTurn } from '../agents/supervisor.ts';
import { AppError } from '../errors.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { ChatMessage, ToolCallPart } from '../model/types.ts';
import type { PendingInput, ToolSource } from '../mcp/types.ts';
import type { AgentName, ApprovalRecord, ConversationRecord, NewApproval, NewMessage } from '../store/types.ts';
import { answerToolCall, outcomeText } from './answer-tool-call.ts';
import { approvalTitle, expiryText, waitingText } from './approval-texts.ts';
import type { AssistantDeps } from './deps.ts';
import { describeFailure } from './describe-failure.ts';

export interface TurnResult {
  conversationId: string;
  reply: string;
  route: AgentName | null;
  approval?: { id: string; status: ApprovalRecord['status'] };
}

type Emit = (event: ChatEvent) => void;

/** One specialist's run inside a conversation, and what its result finishes. */
interface AgentRun {
  conversationId: string;
  customerId: number;
  agent: AgentName;
  history: ChatMessage[];
  emit: Emit;
  /** False: nobody reads the answer as it is written (a JSON caller), so the model calls are not streamed. */
  streamed?: boolean;
  signal?: AbortSignal;
  /** The approval whose turn this run finishes (a decision, or recovery). */
  completes?: ApprovalRecord;
}

const TITLE_LENGTH = 60;

/**
 * The one way a turn happens, whether it starts from a customer's message, an admin's answer to an approval, or
 * recovery at start-up. Each step is written once, conditionally, so running a step again writes nothing twice:
 *   message → route → specialist → commit (answer, or approval + waiting text)
 *   answer  → tool call retried with it → result stored (resultAt) → specialist → commit, completing the approval
 *   expiry  → commit (expiry text), completing the approval
 * Recovery runs whatever an approval's record says is not done yet.
 */
export function createTurnRunner(deps: AssistantDeps) {
  const now = () => deps.clock().toISOString();
  const background = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    const tracked = task.catch((error: unknown) => deps.log(`background work failed: ${String(error)}`));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
  };
  const toConversation = (conversationId: string): Emit => (event) => deps.conversationEvents.publish(conversationId, event);

  const toolsFor = (agent: AgentName, customerId: number): ToolSource =>
    agent === 'music_expert' ? deps.catalog : deps.support.forCustomer(customerId);
  const connectionFor = (agent: AgentName, customerId: number) =>
    agent === 'music_expert' ? deps.catalogConnection : deps.support.connectionFor(customerId);

  async function ownConversation(customerId: number, conversationId: string): Promise<ConversationRecord> {
    const conversation = await deps.store.getConversation(conversationId);
    // Someone else's conversation is answered exactly like a missing one.
    if (!conversation || conversation.customerId !== customerId) throw new AppError('not_found', 'Conversation not found.');
    return conversation;
  }

  function publishApproval(approval: ApprovalRecord) {
    deps.approvalEvents.publish('approvals', approval);
    deps.conversationEvents.publish(approval.conversationId, approvalEvent(approval));
  }

  // ---- entry: a customer's message ------------------------------------------------------------

  async function runMessage(input: {
    customerId: number;
    conversationId?: string;
    message: string;
    emit: Emit;
    /** False when the caller wants the reply in one piece (JSON): nobody reads its text as it is written. */
    streamed?: boolean;
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

        let agent: AgentName;
        try {
          agent = await deps.tracing.agent('supervisor', conversation.id, async () => {
            const { decision } = await routeTurn({
              model: deps.models.supervisor,
              history,
              previous,
              ...(input.signal ? { signal: input.signal } : {}),
            });
            deps.tracing.routed(decision);
            input.emit({ type: 'route', agent: decision.agent, reason: decision.reason });
            return decision.agent;
          });
        } catch (error) {
          return failTurn(conversation.id, error, null, input.emit);
        }
        return runAgent({
          conversationId: conversation.id,
          customerId: input.customerId,
          agent,
          history,
          emit: input.emit,
          ...(input.streamed === false ? { streamed: false } : {}),
          ...(input.signal ? { signal: input.signal } : {}),
        });
      }),
    );
  }

  // ---- the specialist, and the one commit of what it produced ----------------------------------

  async function runAgent(run: AgentRun): Promise<TurnResult> {
    let outcome: { step: LoopStep; asked?: NewApproval };
    try {
      outcome = await deps.tracing.agent(run.agent, run.conversationId, async () => {
        const step = await runSpecialist({
          model: deps.models[run.agent],
          system: SPECIALIST_PROMPTS[run.agent],
          tools: toolsFor(run.agent, run.customerId),
          history: run.history,
          maxSteps: deps.maxSteps,
          emit: run.emit,
          streamed: run.streamed !== false,
          ...(run.signal ? { signal: run.signal } : {}),
        });
        // Built inside the specialist's span: the approval keeps it as the trace its decision links to.
        return step.type === 'approval' ? { step, asked: newApproval(run, step.call, step.input) } : { step };
      });
    } catch (error) {
      return failTurn(run.conversationId, error, run.agent, run.emit);
    }
    return commitStep(run, outcome.step, outcome.asked);
  }

  /** Stores a step's messages (and its approval, and the approval it completes) in one write, then tells everyone. */
  async function commitStep(run: AgentRun, step: LoopStep, asked?: NewApproval): Promise<TurnResult> {
    const messages: NewMessage[] = step.messages.map((message) => ({ message, agent: run.agent }));
    const waiting = asked ? waitingText(asked) : undefined;
    if (waiting) messages.push({ message: { role: 'assistant', content: [{ type: 'text', text: waiting }] }, agent: run.agent });

    const committed = await deps.store.commitTurn({
      conversationId: run.conversationId,
      messages,
      now: now(),
      ...(asked ? { approval: asked } : {}),
      ...(run.completes ? { completes: { approvalId: run.completes.id } } : {}),
    });
    if (!committed.applied) {
      // Another run finished this approval first (e.g. two replicas recovering): its answer is the one stored.
      return { conversationId: run.conversationId, reply: '', route: run.agent };
    }
    if (run.completes) await announce(run.completes.id);

    const approval = committed.approval?.approval;
    if (committed.approval?.type === 'created') {
      deps.tracing.approvalRequested(committed.approval.approval);
      deps.approvalEvents.publish('approvals', committed.approval.approval);
    }
    const separator = step.text && waiting ? '\n\n' : '';
    const reply = step.text + separator + (waiting ?? '');
    if (approval && waiting) {
      run.emit(approvalEvent(approval));
      run.emit({ type: 'delta', text: separator + waiting });
    }
    run.emit({ type: 'done', conversationId: run.conversationId, reply, route: run.agent });
    return {
      conversationId: run.conversationId,
      reply,
      route: run.agent,
      ...(approval ? { approval: { id: approval.id, status: approval.status } } : {}),
    };
  }

  function newApproval(run: AgentRun, call: ToolCallPart, input: PendingInput): NewApproval {
    const created = deps.clock();
    return {
      id: deps.newId(),
      conversationId: run.conversationId,
      customerId: run.customerId,
      customerName: deps.directory.get(run.customerId)?.name ?? `Customer ${run.customerId}`,
      agent: run.agent,
      toolCall: { id: call.id, name: call.name, arguments: call.arguments },
      elicitation: {
        inputKey: input.inputKey,
        message: input.message,
        requestedSchema: input.requestedSchema,
        summary: input.summary,
        requestState: input.requestState,
      },
      dedupeKey: `${call.name}:${input.summary?.key ?? stableJson(call.arguments)}`,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + deps.approvalTtlMs).toISOString(),
      traceparent: deps.tracing.currentTraceparent() ?? null,
    };
  }

  async function failTurn(conversationId: string, error: unknown, route: AgentName | null, emit: Emit): Promise<TurnResult> {
    const message = describeFailure(error);
    deps.log(`turn failed in ${conversationId}: ${error instanceof Error ? error.message : String(error)}`);
    emit({ type: 'error', message });
    return { conversationId, reply: message, route };
  }

  /** Tells the admin queue and the customer's page an approval changed. */
  async function announce(approvalId: string) {
    const approval = await deps.store.getApproval(approvalId);
    if (approval) publishApproval(approval);
  }

  // ---- entry: an admin's answer ----------------------------------------------------------------

  async function decide(id: string, input: { answer: ElicitationAnswer; decidedBy: string }): Promise<ApprovalRecord> {
    const found = await deps.store.getApproval(id);
    if (!found) throw new AppError('not_found', 'Approval not found.');
    const answer = checkedAnswer(found, input.answer);
    const claim = await deps.store.claimDecision(id, { answer, decidedBy: input.decidedBy, now: now() });
    switch (claim.type) {
      case 'not_found':
        throw new AppError('not_found', 'Approval not found.');
      case 'already_decided':
        throw new AppError('conflict', `This approval was already ${claim.approval.status}.`);
      case 'expired':
        track(finishApproval(claim.approval));
        throw new AppError('conflict', 'This approval has expired.');
      case 'claimed': {
        publishApproval(claim.approval);
        const answered = await sendAnswer(claim.approval);
        track(resume(answered));
        return answered;
      }
    }
  }

  /** The answer as the server will get it: accepted content checked against the form the server asked for. */
  function checkedAnswer(approval: ApprovalRecord, answer: ElicitationAnswer): ElicitationAnswer {
    if (answer.action !== 'accept') return { action: answer.action };
    const form = parseForm(approval.elicitation.requestedSchema);
    if (form.type === 'unsupported') throw new AppError('bad_request', `This form cannot be filled in here (${form.reason}); decline or cancel it.`);
    const checked = checkContent(form.fields, answer.content);
    if (!checked.ok) throw new AppError('bad_request', Object.values(checked.problems).join(' '));
    return { action: 'accept', content: checked.content };
  }

  /** Step 1 after a decision: the tool call retried with the answer, its result stored once. */
  async function sendAnswer(decided: ApprovalRecord): Promise<ApprovalRecord> {
    return deps.withLock(decided.conversationId, async () => {
      const approval = (await deps.store.getApproval(decided.id)) ?? decided;
      if (approval.resultAt || approval.completedAt) return approval;
      const answered = await answerToolCall(connectionFor(approval.agent, approval.customerId), approval);
      if (answered.type === 'input_required') {
        // The server asks again (a form in several rounds): a new approval continues the same call.
        const run = { ...runOf(approval, toConversation(approval.conversationId)), completes: approval };
        await commitStep(run, { type: 'approval', call: answered.call, input: answered.input, text: '', messages: [] }, newApproval(run, answered.call, answered.input));
        return (await deps.store.getApproval(approval.id)) ?? approval;
      }
      const recorded = await deps.store.recordToolResult(approval.id, {
        messages: answered.messages.map((message) => ({ message, agent: approval.agent })),
        outcome: outcomeText(answered.result),
        ...(answered.result.isError ? { status: 'failed' as const } : {}),
        now: now(),
      });
      if (recorded.recordedNow) {
        const decidedAt = recorded.approval.decidedAt ?? now();
        deps.tracing.approvalDecided(recorded.approval, Date.parse(decidedAt) - Date.parse(recorded.approval.createdAt));
        publishApproval(recorded.approval);
      }
      return recorded.approval;
    });
  }

  /** Step 2: the specialist answers the customer from the tool result; storing that answer completes the approval. */
  async function resume(answered: ApprovalRecord): Promise<void> {
    await deps.withLock(answered.conversationId, async () => {
      const approval = await deps.store.getApproval(answered.id);
      if (!approval?.resultAt || approval.completedAt) return;
      await deps.tracing.turn({ conversationId: approval.conversationId, customerId: approval.customerId }, async () => {
        const run = runOf(approval, toConversation(approval.conversationId));
        run.emit({ type: 'route', agent: approval.agent, reason: `answer to “${approvalTitle(approval)}”` });
        const stored = await deps.store.loadMessages(approval.conversationId);
        await runAgent({ ...run, history: toModelHistory(stored.map((entry) => entry.message)), completes: approval });
      });
    });
  }

  /** An approval that expired: the customer is told once, which completes it. */
  async function expire(expired: ApprovalRecord): Promise<void> {
    await deps.withLock(expired.conversationId, async () => {
      const text = expiryText(expired);
      const committed = await deps.store.commitTurn({
        conversationId: expired.conversationId,
        messages: [{ message: { role: 'assistant', content: [{ type: 'text', text }] }, agent: expired.agent }],
        now: now(),
        completes: { approvalId: expired.id },
      });
      if (!committed.applied) return;
      await announce(expired.id);
      const emit = toConversation(expired.conversationId);
      emit({ type: 'delta', text });
      emit({ type: 'done', conversationId: expired.conversationId, reply: text, route: expired.agent });
    });
  }

  /** Whatever is left of an approval's turn, from its record: used by recovery and late expiry. */
  async function finishApproval(approval: ApprovalRecord): Promise<void> {
    if (approval.status === 'expired') return expire(approval);
    await resume(await sendAnswer(approval));
  }

  function runOf(approval: ApprovalRecord, emit: Emit): AgentRun {
    return { conversationId: approval.conversationId, customerId: approval.customerId, agent: approval.agent, history: [], emit };
  }

  return {
    runMessage,
    decide,
    ownConversation,
    async sweepExpired() {
      const expired = await deps.store.expireDue(now());
      for (const approval of expired) await expire(approval);
      return expired.length;
    },
    /** Approvals answered (or expired) whose turn a stop or crash interrupted: finished now, each step once. */
    async recover() {
      const unfinished = await deps.store.listUnfinished();
      for (const approval of unfinished) track(finishApproval(approval));
      return unfinished.length;
    },
    async drain() {
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}

export type TurnRunner = ReturnType<typeof createTurnRunner>;

export function approvalEvent(approval: ApprovalRecord): ChatEvent {
  return { type: 'approval', id: approval.id, status: approval.status, title: approvalTitle(approval), outcome: approval.outcome };
}

/** JSON with sorted keys: the same arguments give the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
