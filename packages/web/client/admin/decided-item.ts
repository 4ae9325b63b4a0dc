// One row of the recent decisions: status, who answered and when, the answer in the form's words, the outcome.
import type { Approval } from '../../src/api/schemas.ts';
import { h } from '../lib/dom.ts';
import { STATUS_LABEL, timeAgo } from '../lib/text.ts';
import { answerLines } from './form-values.ts';

export function createDecidedItem(approval: Approval): HTMLLIElement {
  const at = approval.decidedAt ?? approval.expiresAt;
  const who = approval.decidedBy ? ` by ${approval.decidedBy}` : '';
  const lines = approval.answer?.action === 'accept' ? answerLines(approval.elicitation.requestedSchema, approval.answer.content) : [];
  const waiting = approval.status === 'accepted' && !approval.outcome && !approval.completedAt;
  return h(
    'li',
    { class: 'decided', 'data-approval-id': approval.id, 'data-status': approval.status },
    h(
      'div',
      { class: 'decided-head' },
      h('span', { class: `status-pill status-${approval.status}` }, STATUS_LABEL[approval.status]),
      h('strong', { class: 'decided-customer' }, approval.customer.name),
    ),
    h('p', { class: 'decided-title' }, approval.elicitation.summary?.title ?? approval.elicitation.message),
    h('p', { class: 'decided-meta' }, `${metaVerb(approval)}${approval.status === 'expired' ? '' : who} · `, h('time', { datetime: at }, timeAgo(at))),
    lines.length > 0
      ? h('ul', { class: 'decided-answer', 'aria-label': 'Answer' }, lines.map((line) => h('li', null, h('span', { class: 'label-strong' }, `${line.label}: `), line.value)))
      : null,
    approval.outcome
      ? h('p', { class: 'decided-outcome' }, h('span', { class: 'label-strong' }, 'Outcome: '), approval.outcome)
      : waiting
        ? h('p', { class: 'decided-outcome muted' }, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Waiting for the result…')
        : null,
  );
}

function metaVerb(approval: Approval): string {
  switch (approval.status) {
    case 'accepted':
      return 'Submitted';
    case 'declined':
      return 'Declined';
    case 'cancelled':
      return 'Dismissed';
    case 'expired':
      return 'No answer in time';
    case 'failed':
      return approval.decidedAt ? 'Answered' : 'Failed';
    case 'pending':
      return 'Waiting';
  }
}
