import { describeToolCall } from '../agents/tool-phrases.ts';
import type { Approval, ConversationMessage } from '@algorhythm/web/schemas';
import type { ApprovalRecord, ConversationRecord, StoredMessage } from '../store/types.ts';

type ViewMessage = ConversationMessage;

/** An approval as the admin API and the pages see it: no sealed state, no trace context. */
export function approvalView(approval: ApprovalRecord): Approval {
  const { inputKey: _key, requestState: _state, ...elicitation } = approval.elicitation;
  return {
    id: approval.id,
    status: approval.status,
    customer: { id: approval.customerId, name: approval.customerName },
    conversationId: approval.conversationId,
    agent: approval.agent,
    tool: { name: approval.toolCall.name, arguments: approval.toolCall.arguments },
    elicitation,
    createdAt: approval.createdAt,
    expiresAt: approval.expiresAt,
    decidedAt: approval.decidedAt,
    decidedBy: approval.decidedBy,
    answer: approval.answer,
    completedAt: approval.completedAt,
    outcome: approval.outcome,
  };
}

/**
 * What a person sees of a conversation: their messages, the assistant's text, and tool activity as
 * phrases attached to the next assistant text. Tool payloads stay out.
 */
export function conversationView(conversation: ConversationRecord, messages: StoredMessage[], approvals: ApprovalRecord[]) {
  const view: ViewMessage[] = [];
  const calls = new Map<string, { name: string; summary: string }>();
  let tools: NonNullable<ViewMessage['tools']> = [];

  for (const { message, agent, createdAt } of messages) {
    if (message.role === 'user') {
      view.push({ role: 'user', text: message.content, at: createdAt });
      tools = [];
    } else if (message.role === 'tool') {
      for (const part of message.content) {
        const call = calls.get(part.callId);
        if (call) tools.push({ ...call, status: part.isError ? 'error' : 'done' });
      }
    } else if (message.role === 'assistant') {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n\n');
      for (const part of message.content) {
        if (part.type === 'tool-call') calls.set(part.id, { name: part.name, summary: describeToolCall(part.name, part.arguments) });
      }
      if (text) {
        view.push({
          role: 'assistant',
          text,
          ...(agent ? { agent } : {}),
          ...(tools.length ? { tools } : {}),
          at: createdAt,
        });
        tools = [];
      }
    }
  }
  return {
    id: conversation.id,
    title: conversation.title,
    messages: view,
    approvals: approvals.map(approvalView),
  };
}
