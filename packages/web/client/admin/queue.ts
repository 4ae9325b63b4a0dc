// The live queue: approvals by id, pending ones as cards (kept while they stay pending, so what the admin typed
// into a form survives updates), the rest as recent decisions.
import type { Approval } from '../../src/api/schemas.ts';
import { timeAgo } from '../lib/text.ts';
import { createDecidedItem } from './decided-item.ts';
import { createPendingCard, type Decide, type PendingCard } from './request-card.ts';

export interface QueueElements {
  pendingList: HTMLUListElement;
  pendingEmpty: HTMLElement;
  pendingCount: HTMLElement;
  pendingTitle: HTMLElement;
  decidedList: HTMLUListElement;
  decidedEmpty: HTMLElement;
}

const RECENT_LIMIT = 25;

export class Queue {
  readonly #el: QueueElements;
  readonly #decide: Decide;
  readonly #approvals = new Map<string, Approval>();
  readonly #cards = new Map<string, PendingCard>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(elements: QueueElements, decide: Decide) {
    this.#el = elements;
    this.#decide = decide;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.#tick(), 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Replaces everything with a fresh list from the server. */
  replaceAll(approvals: Approval[]): void {
    this.#approvals.clear();
    for (const approval of approvals) this.#approvals.set(approval.id, approval);
    this.#render();
  }

  /** One created or changed approval (from the live stream or a decision's answer). Returns whether it is new. */
  upsert(approval: Approval): boolean {
    const isNew = !this.#approvals.has(approval.id);
    this.#approvals.set(approval.id, approval);
    this.#render();
    return isNew;
  }

  get(id: string): Approval | undefined {
    return this.#approvals.get(id);
  }

  fail(id: string, message: string): void {
    this.#cards.get(id)?.fail(message);
  }

  /** Where keyboard focus goes after a card leaves: the next request, or the section heading. */
  focusAfter(id: string): void {
    const ids = [...this.#cards.keys()];
    const next = ids.find((other) => other !== id);
    const target = next ? this.#cards.get(next)!.element.querySelector<HTMLElement>('h3') : this.#el.pendingTitle;
    target?.focus();
  }

  #render(): void {
    const all = [...this.#approvals.values()];
    // Oldest first: the request closest to expiry is at the top.
    const pending = all.filter((a) => a.status === 'pending').sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const decided = all
      .filter((a) => a.status !== 'pending')
      .sort((a, b) => Date.parse(b.decidedAt ?? b.createdAt) - Date.parse(a.decidedAt ?? a.createdAt))
      .slice(0, RECENT_LIMIT);

    const pendingIds = new Set(pending.map((a) => a.id));
    for (const [id, card] of this.#cards) {
      if (!pendingIds.has(id)) {
        card.element.remove();
        this.#cards.delete(id);
      }
    }
    const now = Date.now();
    pending.forEach((approval, index) => {
      let card = this.#cards.get(approval.id);
      if (!card) {
        card = createPendingCard(approval, this.#decide);
        card.element.classList.add('request-new');
        this.#cards.set(approval.id, card);
      }
      card.tick(now);
      const at = this.#el.pendingList.children[index];
      if (at !== card.element) this.#el.pendingList.insertBefore(card.element, at ?? null);
    });

    this.#el.pendingCount.textContent = String(pending.length);
    this.#el.pendingCount.dataset.count = String(pending.length);
    this.#el.pendingCount.setAttribute('aria-label', `${pending.length} waiting`);
    this.#el.pendingEmpty.hidden = pending.length > 0;
    this.#el.decidedList.replaceChildren(...decided.map(createDecidedItem));
    this.#el.decidedEmpty.hidden = decided.length > 0;
  }

  #tick(): void {
    const now = Date.now();
    for (const card of this.#cards.values()) card.tick(now);
    for (const time of this.#el.decidedList.querySelectorAll('time')) time.textContent = timeAgo(time.dateTime, now);
  }
}
