// The approval card in the customer's conversation: what waits for a store admin, then how it ended.
// Generic: the title and the outcome are the server's words; the form and the admin's answer stay on the admin side.
import type { Approval, ApprovalStatus } from '../../src/api/schemas.ts';
import { append, h, icon } from '../lib/dom.ts';

/** What the card shows: exactly the chat event `approval`. */
export type ApprovalView = { id: string; status: ApprovalStatus; title: string; outcome: string | null };

/** The card's view of a stored approval (GET /api/conversations/:id). */
export function approvalView(approval: Approval): ApprovalView {
  const { summary, message } = approval.elicitation;
  return { id: approval.id, status: approval.status, title: summary?.title ?? message, outcome: approval.outcome };
}

const STATUS: Record<ApprovalStatus, string> = {
  pending: 'Waiting for approval',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Cancelled',
  expired: 'Expired',
  failed: 'Could not be completed',
};

/** Said when the outcome has not arrived (yet, or at all). */
const FALLBACK: Record<ApprovalStatus, string> = {
  pending: 'A store admin will look at this. You can keep chatting or come back later: the answer will appear right here.',
  accepted: 'A store admin accepted this. The result will appear here in a moment.',
  declined: 'A store admin declined this, so nothing was changed.',
  cancelled: 'A store admin closed this request without an answer, so nothing was changed.',
  expired: 'No one answered in time, so nothing was changed. You can ask again.',
  failed: 'This could not be completed.',
};

const ICON: Record<ApprovalStatus, Parameters<typeof icon>[0]> = {
  pending: 'clock',
  accepted: 'check',
  declined: 'cross',
  cancelled: 'cross',
  expired: 'clock',
  failed: 'alert',
};

function body(view: ApprovalView): string {
  return view.status !== 'pending' && view.outcome ? view.outcome : FALLBACK[view.status];
}

export function createApprovalCard(view: ApprovalView): HTMLElement {
  const card = h('div', { class: 'approval-card', 'data-approval-id': view.id });
  updateApprovalCard(card, view);
  return card;
}

export function updateApprovalCard(card: HTMLElement, view: ApprovalView): void {
  card.dataset.status = view.status;
  card.replaceChildren();
  append(card, [
    h(
      'div',
      { class: 'approval-head' },
      h('span', { class: 'approval-icon' }, icon(ICON[view.status])),
      h('strong', { class: 'approval-status' }, STATUS[view.status]),
      view.status === 'pending' ? h('span', { class: 'pulse', 'aria-hidden': 'true' }) : null,
    ),
    view.title ? h('p', { class: 'approval-title' }, view.title) : null,
    h('p', { class: 'approval-body' }, body(view)),
  ]);
}

/** Keeps the outcome a card already had when a thinner update of the same status comes without one. */
export function mergeApproval(previous: ApprovalView | undefined, next: ApprovalView): ApprovalView {
  if (!previous) return next;
  const statusChanged = previous.status !== next.status;
  return {
    ...next,
    title: next.title || previous.title,
    outcome: next.outcome ?? (statusChanged ? null : previous.outcome),
  };
}

export function announcementFor(view: ApprovalView): string {
  return `${STATUS[view.status]}: ${view.title ? `${view.title}. ` : ''}${body(view)}`;
}
