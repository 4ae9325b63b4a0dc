// One pending refund request (with the decision form) and one row of the recent decisions.
import type { Approval } from '../../src/api/schemas.ts';
import { h, icon } from '../lib/dom.ts';
import { STATUS_LABEL, formatMoney, timeAgo, timeLeft } from '../lib/text.ts';

export type Decide = (approval: Approval, decision: 'approve' | 'decline', note: string) => Promise<void>;

export interface PendingCard {
  element: HTMLLIElement;
  /** Refreshes the countdown and "requested … ago". */
  tick(now: number): void;
  /** Shows a problem inside the card and re-enables its buttons. */
  fail(message: string): void;
}

export function createPendingCard(approval: Approval, decide: Decide): PendingCard {
  const id = approval.id;
  const domId = (part: string) => `req-${cssSafe(id)}-${part}`;
  const countdown = h('dd', { class: 'countdown' });
  const requested = h('dd', null);
  const note = h('textarea', { id: domId('note'), rows: 2, maxlength: 500, placeholder: 'For example: goodwill refund, duplicate purchase…' });
  const error = h('p', { class: 'form-error card-error', role: 'alert', hidden: true });
  const approve = h('button', { type: 'submit', class: 'btn btn-approve', value: 'approve' }, icon('check'), 'Approve refund');
  const decline = h('button', { type: 'submit', class: 'btn btn-decline', value: 'decline' }, icon('cross'), 'Decline');

  const form = h(
    'form',
    { class: 'decision', 'aria-label': `Decision on invoice ${approval.invoiceId}` },
    h('div', { class: 'field' }, h('label', { for: domId('note') }, 'Note ', h('span', { class: 'optional' }, '(optional)')), note),
    h('div', { class: 'actions' }, approve, decline),
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = submitter?.value === 'decline' ? 'decline' : 'approve';
    error.hidden = true;
    setBusy(true, decision);
    try {
      await decide(approval, decision, note.value.trim());
    } finally {
      if (element.isConnected) setBusy(false, decision);
    }
  });

  const setBusy = (busy: boolean, decision: 'approve' | 'decline') => {
    approve.disabled = busy;
    decline.disabled = busy;
    note.readOnly = busy;
    form.setAttribute('aria-busy', String(busy));
    const button = decision === 'approve' ? approve : decline;
    button.lastChild!.textContent = busy ? (decision === 'approve' ? 'Approving…' : 'Declining…') : decision === 'approve' ? 'Approve refund' : 'Decline';
  };

  const element = h(
    'li',
    { class: 'request', 'data-approval-id': id, 'aria-labelledby': domId('title') },
    h(
      'div',
      { class: 'request-head' },
      h('div', null, h('h3', { id: domId('title'), class: 'request-customer', tabindex: -1 }, approval.customer.name), h('p', { class: 'request-sub' }, `Refund request · invoice #${approval.invoiceId}`)),
      h('span', { class: 'amount', 'aria-label': `Amount ${formatMoney(approval.amount)}` }, formatMoney(approval.amount)),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'Invoice'), h('dd', null, `#${approval.invoiceId}`)),
      h('div', null, h('dt', null, 'Requested'), requested),
      h('div', null, h('dt', null, 'Expires'), countdown),
    ),
    h('div', { class: 'reason' }, h('span', { class: 'label-strong' }, 'Reason'), h('p', null, approval.reason?.trim() || 'No reason given.')),
    h('figure', { class: 'elicitation' }, h('figcaption', null, 'What the assistant asks you'), h('blockquote', null, approval.message)),
    form,
  );

  return {
    element,
    tick(now) {
      const left = timeLeft(approval.expiresAt, now);
      countdown.textContent = left.over ? 'Expiring now' : left.text;
      countdown.classList.toggle('urgent', left.urgent);
      requested.textContent = timeAgo(approval.createdAt, now);
    },
    fail(message) {
      error.textContent = message;
      error.hidden = false;
    },
  };
}

export function createDecidedItem(approval: Approval): HTMLLIElement {
  const at = approval.decidedAt ?? approval.createdAt;
  const who = approval.decidedBy ? ` by ${approval.decidedBy}` : '';
  return h(
    'li',
    { class: 'decided', 'data-approval-id': approval.id, 'data-status': approval.status },
    h(
      'div',
      { class: 'decided-head' },
      h('span', { class: `status-pill status-${approval.status}` }, STATUS_LABEL[approval.status]),
      h('strong', { class: 'decided-customer' }, approval.customer.name),
      h('span', { class: 'decided-amount' }, formatMoney(approval.amount)),
    ),
    h('p', { class: 'decided-meta' }, `Invoice #${approval.invoiceId} · ${approval.status === 'expired' ? 'expired' : `decided${who}`} · `, h('time', { datetime: at }, timeAgo(at))),
    approval.note ? h('p', { class: 'decided-note' }, h('span', { class: 'label-strong' }, 'Note: '), approval.note) : null,
    approval.outcome
      ? h('p', { class: 'decided-outcome' }, h('span', { class: 'label-strong' }, 'Outcome: '), approval.outcome)
      : approval.status === 'approved'
        ? h('p', { class: 'decided-outcome muted' }, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Processing the refund…')
        : null,
  );
}

function cssSafe(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
