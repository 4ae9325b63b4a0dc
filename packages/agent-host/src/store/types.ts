import type { ChatMessage } from '../model/types.ts';

export type AgentName = 'music_expert' | 'support_rep';

export interface ConversationRecord {
  id: string;
  customerId: number;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  seq: number;
  message: ChatMessage;
  agent: AgentName | null;
  createdAt: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'declined' | 'expired' | 'failed';
export type Decision = 'approve' | 'decline';

export interface ApprovalRecord {
  id: string;
  status: ApprovalStatus;
  conversationId: string;
  customerId: number;
  customerName: string;
  agent: AgentName;
  toolName: string;
  toolCallId: string;
  arguments: Record<string, unknown>;
  /** Key of the elicitation inside the server's `inputRequests`. */
  inputKey: string;
  message: string;
  requestedSchema: Record<string, unknown>;
  /** The server's opaque, sealed `requestState`, echoed back verbatim on retry. */
  requestState: string;
  invoiceId: number;
  amount: number;
  reason: string | null;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
  /** Set once the retried tool call answered and the conversation was resumed. */
  completedAt: string | null;
  outcome: string | null;
  /** W3C traceparent of the turn that asked, so the decision span can link to it. */
  traceparent: string | null;
}

export type NewApproval = Omit<
  ApprovalRecord,
  'status' | 'decidedAt' | 'decidedBy' | 'note' | 'completedAt' | 'outcome'
>;

export type ClaimResult =
  | { type: 'claimed'; approval: ApprovalRecord }
  | { type: 'not_found' }
  | { type: 'already_decided'; approval: ApprovalRecord }
  | { type: 'expired'; approval: ApprovalRecord };

/** A new approval, or the one already pending for the same customer and invoice (asked twice). */
export type CreateResult = { type: 'created'; approval: ApprovalRecord } | { type: 'existing'; approval: ApprovalRecord };

/**
 * Durable state of the host. Async so a PostgreSQL implementation can follow for several replicas;
 * the SQLite one answers synchronously underneath.
 */
export interface Store {
  createConversation(input: { id: string; customerId: number; title: string; now: string }): Promise<ConversationRecord>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  listConversations(customerId: number, limit?: number): Promise<ConversationRecord[]>;
  appendMessages(
    conversationId: string,
    messages: Array<{ message: ChatMessage; agent: AgentName | null }>,
    now: string,
  ): Promise<void>;
  loadMessages(conversationId: string): Promise<StoredMessage[]>;

  /** Creates a pending approval, or returns the one already pending for this customer and invoice. */
  createApproval(approval: NewApproval): Promise<CreateResult>;
  getApproval(id: string): Promise<ApprovalRecord | undefined>;
  listApprovals(filter: { status?: ApprovalStatus; limit?: number }): Promise<ApprovalRecord[]>;
  listApprovalsForConversation(conversationId: string): Promise<ApprovalRecord[]>;
  /** Atomically moves a pending, unexpired approval to its decision; exactly one caller wins. */
  claimDecision(
    id: string,
    input: { decision: Decision; decidedBy: string; note: string | null; now: string },
  ): Promise<ClaimResult>;
  /**
   * Records the outcome once (a completed approval is never completed again) and, in the same transaction,
   * appends the messages that carry the tool's answer into the conversation.
   */
  completeApproval(
    id: string,
    input: {
      status?: ApprovalStatus;
      outcome: string;
      now: string;
      messages?: Array<{ message: ChatMessage; agent: AgentName | null }>;
    },
  ): Promise<{ approval: ApprovalRecord; completedNow: boolean }>;
  /** Marks every pending approval past its expiry as expired and returns them. */
  expireDue(now: string): Promise<ApprovalRecord[]>;
  /** Pending approvals of one customer for one invoice (to avoid asking twice). */
  findPending(customerId: number, invoiceId: number): Promise<ApprovalRecord | undefined>;
  /** Decided but not completed: a host that stopped mid-resume picks these up at start. */
  listUnfinished(): Promise<ApprovalRecord[]>;

  ping(): Promise<void>;
  close(): void;
}
