import type { AgentName, ApprovalStatus, ElicitationAnswer, ElicitationSummary } from '@algorhythm/web/schemas';
import type { ChatMessage } from '../model/types.ts';

export type { AgentName, ApprovalStatus, ElicitationAnswer, ElicitationSummary };

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

export type NewMessage = { message: ChatMessage; agent: AgentName | null };

/** The form elicitation a tool embedded in its `input_required` answer, as the host keeps it. */
export interface StoredElicitation {
  /** Key of the elicitation inside the server's `inputRequests`; the answer goes back under it. */
  inputKey: string;
  message: string;
  requestedSchema: Record<string, unknown>;
  summary: ElicitationSummary | null;
  /** The server's opaque, sealed `requestState`, echoed back verbatim on retry. */
  requestState: string;
}

/**
 * An elicitation waiting for (or answered by) a store admin. Its steps are recorded as they happen, so the one
 * turn runner can finish whatever a crash interrupted: decided → tool result stored (`resultAt`) → the
 * specialist's answer stored (`completedAt`).
 */
export interface ApprovalRecord {
  id: string;
  status: ApprovalStatus;
  conversationId: string;
  customerId: number;
  customerName: string;
  agent: AgentName;
  toolCall: { id: string; name: string; arguments: Record<string, unknown> };
  elicitation: StoredElicitation;
  /** Two pending approvals of one customer with the same key ask the same thing: there is only one. */
  dedupeKey: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  answer: ElicitationAnswer | null;
  resultAt: string | null;
  completedAt: string | null;
  outcome: string | null;
  /** W3C traceparent of the turn that asked, so the decision span can link to it. */
  traceparent: string | null;
}

export type NewApproval = Omit<
  ApprovalRecord,
  'status' | 'decidedAt' | 'decidedBy' | 'answer' | 'resultAt' | 'completedAt' | 'outcome'
>;

export type ClaimResult =
  | { type: 'claimed'; approval: ApprovalRecord }
  | { type: 'not_found' }
  | { type: 'already_decided'; approval: ApprovalRecord }
  | { type: 'expired'; approval: ApprovalRecord };

/** A new approval, or the one already pending with the same customer and key (asked twice). */
export type CreateResult = { type: 'created'; approval: ApprovalRecord } | { type: 'existing'; approval: ApprovalRecord };

/** For the admin overview: approvals waiting now, and when each one decided since a time was asked and answered. */
export interface ApprovalActivity {
  waiting: number;
  decisions: Array<{ createdAt: string; decidedAt: string }>;
}

/** What one step of a turn writes, in one transaction. */
export interface TurnCommit {
  conversationId: string;
  messages: NewMessage[];
  now: string;
  /** The step asked for a human: record it (or find the same pending one). */
  approval?: NewApproval;
  /** The step finishes this approval's turn: written only if no one finished it already. */
  completes?: { approvalId: string; outcome?: string; status?: 'failed' };
}

/**
 * Durable state of the host. Async so a PostgreSQL implementation can follow for several replicas. Every write
 * that finishes a step is conditional on the step not being done yet, so running it twice writes it once.
 */
export interface Store {
  createConversation(input: { id: string; customerId: number; title: string; now: string }): Promise<ConversationRecord>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  listConversations(customerId: number, limit?: number): Promise<ConversationRecord[]>;
  appendMessages(conversationId: string, messages: NewMessage[], now: string): Promise<void>;
  loadMessages(conversationId: string): Promise<StoredMessage[]>;

  /** Appends a step's messages, records its approval and finishes the approval it completes, all or nothing. */
  commitTurn(commit: TurnCommit): Promise<{ applied: boolean; approval?: CreateResult }>;
  getApproval(id: string): Promise<ApprovalRecord | undefined>;
  listApprovals(filter: { status?: ApprovalStatus; limit?: number }): Promise<ApprovalRecord[]>;
  listApprovalsForConversation(conversationId: string): Promise<ApprovalRecord[]>;
  /** Pending approvals not yet past their expiry at `now`, and the decisions made at or after `decidedSince`. */
  approvalActivity(input: { decidedSince: string; now: string }): Promise<ApprovalActivity>;
  /** Atomically moves a pending, unexpired approval to the admin's answer; exactly one caller wins. */
  claimDecision(id: string, input: { answer: ElicitationAnswer; decidedBy: string; now: string }): Promise<ClaimResult>;
  /**
   * Stores the answered tool call's result in the conversation once (`resultAt`), with its outcome; a second
   * call changes nothing and says so.
   */
  recordToolResult(
    id: string,
    input: { messages: NewMessage[]; outcome: string; status?: 'failed'; now: string },
  ): Promise<{ approval: ApprovalRecord; recordedNow: boolean }>;
  /** Marks every pending approval past its expiry as expired and returns the ones this call expired. */
  expireDue(now: string): Promise<ApprovalRecord[]>;
  /** Answered but not completed: a turn a crash (or a stop) interrupted, to be finished. */
  listUnfinished(): Promise<ApprovalRecord[]>;

  ping(): Promise<void>;
  /** Releases the database; a client-server store resolves once its connections are closed. */
  close(): void | Promise<void>;
}
