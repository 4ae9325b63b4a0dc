// One pending approval: who asked, the server's summary, the elicitation message, its times, and the form
// rendered from its `requestedSchema` with Submit (accept), Decline and Dismiss (cancel).
import { parseForm } from '../../src/api/elicitation-form.ts';
import type { Approval, ElicitationAnswer } from '../../src/api/schemas.ts';
import { h, icon } from '../lib/dom.ts';
import { timeAgo, timeLeft } from '../lib/text.ts';
import { renderFormFields, type FormFields } from './elicitation-form.ts';

export type Decide = (approval: Approval, answer: ElicitationAnswer) => Promise<void>;

export interface PendingCard {
  element: HTMLLIElement;
  /** Refreshes the countdown and "requested … ago". */
  tick(now: number): void;
  /** Shows a problem inside the card (the host's words) and re-enables its buttons. */
  fail(message: string): void;
}

type Action = ElicitationAnswer['action'];

const BUTTON: Record<Action, { label: string; busy: string }> = {
  accept: { label: 'Submit', busy: 'Submitting…' },
  decline: { label: 'Decline', busy: 'Declining…' },
  cancel: { label: 'Dismiss', busy: 'Dismissing…' },
};

export function createPendingCard(approval: Approval, decide: Decide): PendingCard {
  const domId = (part: string) => `req-${cssSafe(approval.id)}-${part}`;
  const { summary, message } = approval.elicitation;
  const countdown = h('dd', { class: 'countdown' });
  const requested = h('dd', null);
  const error = h('p', { class: 'form-error card-error', role: 'alert', hidden: true });

  const parsed = parseForm(approval.elicitation.requestedSchema);
  const fields: FormFields | undefined = parsed.type === 'form' ? renderFormFields(parsed.fields, domId('form')) : undefined;
  const buttons = {
    accept: fields ? h('button', { type: 'submit', class: 'btn btn-primary' }, icon('check'), BUTTON.accept.label) : null,
    decline: h('button', { type: 'button', class: 'btn btn-decline' }, icon('cross'), BUTTON.decline.label),
    cancel: h('button', { type: 'button', class: 'btn btn-ghost' }, BUTTON.cancel.label),
  };

  const setBusy = (busy: boolean, action: Action) => {
    for (const [name, button] of Object.entries(buttons) as Array<[Action, HTMLButtonElement | null]>) {
      if (!button) continue;
      button.disabled = busy;
      button.lastChild!.textContent = busy && name === action ? BUTTON[name].busy : BUTTON[name].label;
    }
    fields?.setBusy(busy);
    form.setAttribute('aria-busy', String(busy));
  };

  const send = async (answer: ElicitationAnswer) => {
    error.hidden = true;
    setBusy(true, answer.action);
    try {
      await decide(approval, answer);
    } finally {
      if (element.isConnected) setBusy(false, answer.action);
    }
  };

  const form = h(
    'form',
    { class: 'decision', novalidate: true, 'aria-label': `Answer for ${approval.customer.name}: ${summary?.title ?? 'request'}` },
    fields
      ? fields.element
      : h(
          'p',
          { class: 'form-unsupported' },
          icon('alert'),
          h('span', null, `This page cannot show the form this request asks for (${parsed.type === 'unsupported' ? parsed.reason : ''}). You can decline or dismiss it.`),
        ),
    h('div', { class: 'actions' }, buttons.accept, buttons.decline, buttons.cancel),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const content = fields?.collect();
    // Problems are shown beside their fields and the first one has focus; nothing is sent.
    if (content) void send({ action: 'accept', content });
  });
  buttons.decline.addEventListener('click', () => void send({ action: 'decline' }));
  buttons.cancel.addEventListener('click', () => void send({ action: 'cancel' }));

  const facts = summary?.facts ?? [];
  const element = h(
    'li',
    { class: 'request', 'data-approval-id': approval.id, 'aria-labelledby': domId('title') },
    h(
      'div',
      { class: 'request-head' },
      h('h3', { id: domId('title'), class: 'request-customer', tabindex: -1 }, approval.customer.name),
      h('span', { class: 'request-tool' }, h('span', { class: 'sr-only' }, 'Asked by the tool '), approval.tool.name),
    ),
    summary ? h('p', { class: 'request-title' }, summary.title) : null,
    facts.length > 0
      ? h('dl', { class: 'summary-facts' }, facts.map((fact) => h('div', null, h('dt', null, fact.label), h('dd', null, fact.value))))
      : null,
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'Requested'), requested),
      h('div', null, h('dt', null, 'Expires'), countdown),
      h('div', null, h('dt', null, 'Traces'), h('dd', null, h('a', { class: 'request-traces', href: `/admin/traces?conversationId=${encodeURIComponent(approval.conversationId)}` }, 'This conversation’s turns'))),
    ),
    h('figure', { class: 'elicitation' }, h('figcaption', null, 'What the assistant asks you'), h('blockquote', null, message)),
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

function cssSafe(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
