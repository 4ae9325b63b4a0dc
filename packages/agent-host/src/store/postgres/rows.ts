import type { ChatMessage } from '../../model/types.ts';
import type { AgentName, ApprovalRecord, ApprovalStatus, ConversationRecord, StoredMessage } from '../types.ts';

// Rows as the pool returns them: timestamptz already as ISO strings (see `types` in postgres-store.ts),
// json and jsonb already parsed.

export interface ConversationRow {
  id: string;
  customer_id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  seq: number;
  agent: AgentName | null;
  content: ChatMessage;
  created_at: string;
}

export interface ApprovalRow {
  id: string;
  status: ApprovalStatus;
  conversation_id: string;
  customer_id: number;
  customer_name: string;
  agent: AgentName;
  tool_call: ApprovalRecord['toolCall'];
  elicitation: ApprovalRecord['elicitation'];
  dedupe_key: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  answer: ApprovalRecord['answer'];
  result_at: string | null;
  completed_at: string | null;
  outcome: string | null;
  traceparent: string | null;
}

export const toConversation = (row: ConversationRow): ConversationRecord => ({
  id: row.id,
  customerId: row.customer_id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toMessage = (row: MessageRow): StoredMessage => ({
  seq: row.seq,
  agent: row.agent,
  message: row.content,
  createdAt: row.created_at,
});

export const toApproval = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  status: row.status,
  conversationId: row.conversation_id,
  customerId: row.customer_id,
  customerName: row.customer_name,
  agent: row.agent,
  toolCall: row.tool_call,
  elicitation: row.elicitation,
  dedupeKey: row.dedupe_key,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
  answer: row.answer,
  resultAt: row.result_at,
  completedAt: row.completed_at,
  outcome: row.outcome,
  traceparent: row.traceparent,
});
