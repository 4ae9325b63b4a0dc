import type { ApprovalRecord } from '../store/types.ts';

/** What the request is called in the conversation: the server's summary title, else its message. */
export function approvalTitle(approval: Pick<ApprovalRecord, 'elicitation'>): string {
  const { summary, message } = approval.elicitation;
  return summary?.title ?? (message.length > 120 ? `${message.slice(0, 117)}…` : message);
}

export function waitingText(approval: Pick<ApprovalRecord, 'elicitation'>): string {
  return `Your request (${approvalTitle(approval)}) is waiting for a store admin's approval. I'll post the outcome here as soon as it is decided.`;
}

export function expiryText(approval: Pick<ApprovalRecord, 'elicitation'>): string {
  return `Your request (${approvalTitle(approval)}) expired before a store admin decided. Nothing was changed; you can ask again any time.`;
}
