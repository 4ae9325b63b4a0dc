// The refund approval card in the customer's conversation: waiting, then the admin's decision.
import type { Approval, ApprovalStatus } from '../../src/api/schemas.ts';
import { append, h, icon } from '../lib/dom.ts';
import { formatMoney } from '../lib/text.ts';

/** What the card knows: the chat event's fields, plus details once the conversation was (re)loaded. */
export type ApprovalView = Pick<Approval, 'id' | 'status' | 'invoiceId' | 'amount'> &
  Partial<Pick<Approval, 'note' | 'outcome' | 'expiresAt'>>;

const TITLES: Record<ApprovalStatus, string> = {
  pending: 'Waiting for approval',
  approved: 'Refund approved',
  declined: 'Refund declined',
  expired: 'Request expired',
  failed: 'Refund not completed',
};

const ICON: Record<ApprovalStatus, Parameters<typeof icon>[0]> = {
  pending: 'clock',
  approved: 'check',
  declined: 'cross',
  expired: 'clock',
  failed: 'alert',
};

function body(view: ApprovalView): string {
  const what = `invoice #${view.invoiceId} (${formatMoney(view.amount)})`;
  switch (view.status) {
    case 'pending':
      return `Your refund request for ${what} is with a store admin. You can keep chatting or come back later: the answer will appear right here.`;
    case 'approved':
      return view.outcome ?? `A store admin approved the refund for ${what}.`;
    case 'declined':
      return view.outcome ?? `A store admin declined the refund for ${what}.`;
    case 'expired':
      return `No one reviewed the refund for ${what} in time, so nothing was refunded. You can ask again.`;
    case 'failed':
      return view.outcome ?? `The refund for ${what} could not be processed.`;
  }
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
      h('strong', { class: 'approval-title' }, TITLES[view.status]),
      view.status === 'pending' ? h('span', { class: 'pulse', 'aria-hidden': 'true' }) : null,
    ),
    h('p', { class: 'approval-body' }, body(view)),
    view.note ? h('p', { class: 'approval-note' }, h('span', { class: 'label' }, 'Note from the store: '), view.note) : null,
  ]);
}

/** Keeps the richer fields a card already had when a thinner chat event updates it. */
export function mergeApproval(previous: ApprovalView | undefined, next: ApprovalView): ApprovalView {
  if (!previous) return next;
  const statusChanged = previous.status !== next.status;
  return {
    ...previous,
    ...next,
    note: next.note ?? (statusChanged ? null : previous.note),
    outcome: next.outcome ?? (statusChanged ? null : previous.outcome),
  };
}

export function announcementFor(view: ApprovalView): string {
  return `${TITLES[view.status]}: ${body(view)}`;
}
