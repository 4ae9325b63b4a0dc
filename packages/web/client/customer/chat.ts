// The chat: sends messages, renders the streamed answer, loads the stored conversation and follows it live.
import { api } from '../api/client.ts';
import { streamChat, subscribe, type LiveStream } from '../api/chat-stream.ts';
import { ApiError } from '../api/http.ts';
import { chatEventNames, parseChatEvent, type ChatEvent, type Conversation } from '../../src/api/schemas.ts';
import { h, icon } from '../lib/dom.ts';
import { plainText } from '../lib/format.ts';
import { AGENT_LABEL } from '../lib/text.ts';
import { announcementFor, approvalView, createApprovalCard, mergeApproval, updateApprovalCard, type ApprovalView } from './approval-card.ts';
import { renderConversation, type Card } from './history.ts';
import { loadConversationId, saveConversationId } from './storage.ts';
import type { AssistantTurn, Transcript } from './transcript.ts';

export interface ChatElements {
  transcript: Transcript;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  newConversation: HTMLButtonElement;
  title: HTMLElement;
  welcome: HTMLElement;
}

export interface ChatOptions {
  customerName: string;
  elements: ChatElements;
  announce: (text: string) => void;
  /** The session is gone (401): the page goes back to sign-in with this message. */
  onSignedOut: (message: string) => void;
}

export class ChatController {
  readonly #options: ChatOptions;
  readonly #el: ChatElements;
  readonly #cards = new Map<string, Card>();
  #conversationId: string | null = null;
  #busy = false;
  #abort: AbortController | undefined;
  #live: LiveStream | undefined;
  #liveTurn: AssistantTurn | undefined;
  /** The turn this page is streaming from its own POST, while busy. */
  #ownTurn: AssistantTurn | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = 1000;
  #disposed = false;

  constructor(options: ChatOptions) {
    this.#options = options;
    this.#el = options.elements;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Reopens the customer's stored conversation, if any. */
  async open(): Promise<void> {
    const id = loadConversationId(this.#options.customerName);
    this.#showWelcome(true);
    if (!id) return;
    this.#conversationId = id;
    const loading = h('li', { class: 'msg-loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading your conversation…');
    this.#el.transcript.clear();
    this.#showWelcome(false);
    this.#el.transcript.addAssistantExtra(loading);
    const ok = await this.#load(id);
    if (ok) this.#follow(id);
  }

  async send(raw: string): Promise<void> {
    const text = raw.trim();
    if (!text || this.#busy || this.#disposed) return;
    this.#setBusy(true);
    this.#showWelcome(false);
    if (this.#el.transcript.isEmpty) this.#el.title.textContent = titleFrom(text);
    this.#el.transcript.addUser(text);
    this.#el.input.value = '';
    this.#el.input.dispatchEvent(new Event('input'));
    this.#el.input.focus();

    const turn = this.#el.transcript.startTurn();
    this.#ownTurn = turn;
    this.#liveTurn = undefined;
    let finished = false;
    this.#abort = new AbortController();
    try {
      await streamChat({
        request: { message: text, ...(this.#conversationId ? { conversationId: this.#conversationId } : {}) },
        signal: this.#abort.signal,
        onEvent: (event) => {
          if (event.type === 'conversation') this.#adopt(event.data.id);
          if (event.type === 'done') {
            this.#adopt(event.data.conversationId);
            finished = true;
          }
          if (event.type === 'error') finished = true;
          this.#apply(turn, event);
        },
      });
      if (!finished) turn.fail('The answer was cut off before it finished. Please try again.');
    } catch (error) {
      if (this.#disposed) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'Something went wrong. Please try again.');
      if (apiError.status === 401) return this.#options.onSignedOut('Your session ended. Please sign in again.');
      if (apiError.status === 404 && this.#conversationId) {
        // The stored conversation is gone (or belongs to someone else): the next message starts a new one.
        this.#forget();
      }
      turn.fail(apiError.message);
      this.#options.announce(`Error: ${apiError.message}`);
      if (!this.#el.input.value) this.#el.input.value = text;
    } finally {
      this.#abort = undefined;
      this.#ownTurn = undefined;
      if (!this.#disposed) {
        this.#setBusy(false);
        if (document.activeElement === document.body || document.activeElement === this.#el.send) this.#el.input.focus();
      }
    }
  }

  /** Starts over: the stored conversation stays on the server, the page just opens a fresh one. */
  reset(): void {
    this.#abort?.abort();
    this.#forget();
    this.#cards.clear();
    this.#el.transcript.clear();
    this.#el.title.textContent = 'New conversation';
    this.#showWelcome(true);
    this.#el.input.focus();
  }

  dispose(): void {
    this.#disposed = true;
    this.#abort?.abort();
    this.#stopFollowing();
  }

  // ---- events -------------------------------------------------------------------------------

  #apply(turn: AssistantTurn, event: ChatEvent): void {
    switch (event.type) {
      case 'route':
        turn.setAgent(event.data.agent, event.data.reason);
        break;
      case 'tool':
        turn.tool(event.data);
        break;
      case 'delta':
        turn.appendDelta(event.data.text);
        break;
      case 'approval':
        this.#approval(event.data, turn);
        break;
      case 'done': {
        if (!turn.agent && event.data.route) turn.setAgent(event.data.route);
        turn.finish(event.data.reply);
        const who = turn.agent ? AGENT_LABEL[turn.agent] : 'Assistant';
        this.#options.announce(`${who}: ${plainText(event.data.reply).slice(0, 600)}`);
        break;
      }
      case 'error':
        turn.fail(event.data.message);
        this.#options.announce(`Error: ${event.data.message}`);
        break;
      case 'conversation':
        break;
    }
  }

  /** Events on the conversation's own stream: decisions and the answers that follow them. */
  #onLive(event: ChatEvent): void {
    if (event.type === 'approval') {
      // The host also publishes a new approval here; it may beat the POST stream's own event.
      this.#approval(event.data, this.#busy ? this.#ownTurn : this.#liveTurn);
      return;
    }
    // While this page streams its own turn, that POST stream is the source of truth.
    if (this.#busy || event.type === 'conversation') return;
    const turn = (this.#liveTurn ??= this.#el.transcript.startTurn());
    this.#apply(turn, event);
    if (event.type === 'done' || event.type === 'error') {
      this.#liveTurn = undefined;
      if (this.#conversationId) void this.#enrich(this.#conversationId);
    }
  }

  #approval(data: ApprovalView, turn: AssistantTurn | undefined): void {
    const card = this.#cards.get(data.id);
    const view = mergeApproval(card?.view, data);
    if (card) {
      const changed = card.view.status !== view.status;
      card.view = view;
      updateApprovalCard(card.element, view);
      if (changed) {
        this.#options.announce(announcementFor(view));
        if (this.#conversationId) void this.#enrich(this.#conversationId);
      }
      return;
    }
    const element = createApprovalCard(view);
    this.#cards.set(view.id, { element, view });
    if (turn) turn.addExtra(element);
    else this.#el.transcript.addAssistantExtra(element);
    this.#options.announce(announcementFor(view));
  }

  // ---- loading and following ----------------------------------------------------------------

  /** Renders the stored conversation; false when it is gone. */
  async #load(id: string): Promise<boolean> {
    let conversation: Conversation;
    try {
      conversation = await api.conversation(id);
    } catch (error) {
      if (this.#disposed) return false;
      const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
      if (apiError.status === 401) {
        this.#options.onSignedOut('Your session ended. Please sign in again.');
        return false;
      }
      if (apiError.status === 404) {
        this.reset();
        return false;
      }
      this.#el.transcript.clear();
      this.#el.transcript.addAssistantExtra(
        h(
          'div',
          { class: 'msg-error', role: 'alert' },
          icon('alert'),
          h('span', null, `Could not load your conversation. ${apiError.message}`),
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => void this.open() }, 'Try again'),
        ),
      );
      return false;
    }
    if (this.#disposed || this.#conversationId !== id) return false;
    this.#render(conversation);
    return true;
  }

  #render(conversation: Conversation): void {
    this.#liveTurn = undefined;
    this.#el.title.textContent = conversation.title || 'Conversation';
    this.#cards.clear();
    for (const [id, card] of renderConversation(this.#el.transcript, conversation)) this.#cards.set(id, card);
    this.#showWelcome(this.#el.transcript.isEmpty);
    this.#el.transcript.scrollToEnd(true);
  }

  /** Refreshes approval cards from the stored conversation (an outcome the live event may have missed). */
  async #enrich(id: string): Promise<void> {
    try {
      const conversation = await api.conversation(id);
      for (const approval of conversation.approvals) {
        const card = this.#cards.get(approval.id);
        if (!card) continue;
        card.view = mergeApproval(card.view, approvalView(approval));
        updateApprovalCard(card.element, card.view);
      }
    } catch {
      // Cosmetic: the card keeps what the event said.
    }
  }

  #follow(id: string): void {
    this.#stopFollowing();
    this.#live = subscribe(api.conversationEventsUrl(id), chatEventNames, parseChatEvent, {
      onEvent: (event) => this.#onLive(event),
      onOpen: (reconnect) => {
        this.#retryDelay = 1000;
        // Events may have been missed while (re)connecting: a decision made meanwhile shows after a refetch.
        const waiting = [...this.#cards.values()].some((card) => card.view.status === 'pending');
        if (!this.#busy && (reconnect || waiting)) void this.#load(id);
      },
      onStateChange: (state) => {
        if (state !== 'closed' || this.#disposed) return;
        // EventSource gives up on HTTP errors; try again later, slower each time.
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => {
          if (this.#conversationId === id && !this.#disposed) this.#follow(id);
        }, this.#retryDelay);
        this.#retryDelay = Math.min(this.#retryDelay * 2, 30_000);
      },
    });
  }

  #stopFollowing(): void {
    clearTimeout(this.#retryTimer);
    this.#live?.close();
    this.#live = undefined;
    this.#liveTurn = undefined;
  }

  #adopt(id: string): void {
    if (this.#conversationId === id && this.#live) return;
    this.#conversationId = id;
    saveConversationId(this.#options.customerName, id);
    this.#follow(id);
  }

  #forget(): void {
    this.#stopFollowing();
    this.#conversationId = null;
    saveConversationId(this.#options.customerName, null);
  }

  #setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#el.send.disabled = busy;
    this.#el.newConversation.disabled = busy;
    this.#el.send.setAttribute('aria-busy', String(busy));
  }

  #showWelcome(show: boolean): void {
    this.#el.welcome.hidden = !show;
  }
}

function titleFrom(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
