// The message list: user bubbles, assistant turns (streamed or from history), approval cards.
import type { AgentName, ConversationMessage } from '../../src/api/schemas.ts';
import { append, h, icon } from '../lib/dom.ts';
import { renderText } from '../lib/render-text.ts';
import { AGENT_LABEL, clockTime } from '../lib/text.ts';

export class Transcript {
  readonly #list: HTMLOListElement;
  readonly #scroller: HTMLElement;

  constructor(list: HTMLOListElement, scroller: HTMLElement) {
    this.#list = list;
    this.#scroller = scroller;
  }

  get isEmpty(): boolean {
    return this.#list.childElementCount === 0;
  }

  clear(): void {
    this.#list.replaceChildren();
  }

  addUser(text: string, at = new Date().toISOString()): void {
    const bubble = h('div', { class: 'bubble' }, h('div', { class: 'msg-text' }));
    renderText(bubble.firstElementChild as HTMLElement, text);
    this.#add(
      h(
        'li',
        { class: 'msg msg-user' },
        h('span', { class: 'sr-only' }, 'You said: '),
        bubble,
        h('time', { class: 'msg-time', datetime: at }, clockTime(at)),
      ),
      true,
    );
  }

  /** A finished assistant message from the stored conversation. */
  addAssistant(message: ConversationMessage): AssistantTurn {
    const turn = this.startTurn(message.at);
    if (message.agent) turn.setAgent(message.agent);
    for (const tool of message.tools ?? []) turn.tool({ name: tool.name, status: tool.status, summary: tool.summary });
    turn.finish(message.text);
    return turn;
  }

  startTurn(at = new Date().toISOString()): AssistantTurn {
    const turn = new AssistantTurn(at, () => this.scrollToEnd());
    this.#add(turn.element, true);
    return turn;
  }

  /** A standalone item (an approval card from history) aligned with the assistant's messages. */
  addAssistantExtra(node: HTMLElement): void {
    this.#add(h('li', { class: 'msg msg-assistant msg-extra' }, h('span', { class: 'avatar avatar-spacer', 'aria-hidden': 'true' }), node), false);
  }

  scrollToEnd(force = false): void {
    const s = this.#scroller;
    const nearBottom = s.scrollHeight - s.scrollTop - s.clientHeight < 160;
    if (force || nearBottom) s.scrollTop = s.scrollHeight;
  }

  #add(item: HTMLElement, force: boolean): void {
    this.#list.appendChild(item);
    this.scrollToEnd(force);
  }
}

type ToolStatus = 'started' | 'done' | 'error';

/** One assistant answer; while streaming it shows the specialist, tool activity and text as they arrive. */
export class AssistantTurn {
  readonly element: HTMLLIElement;
  readonly #badge: HTMLElement;
  readonly #tools: HTMLUListElement;
  readonly #text: HTMLElement;
  readonly #extras: HTMLElement;
  readonly #typing: HTMLElement;
  readonly #avatar: HTMLElement;
  readonly #onGrow: () => void;
  #buffer = '';
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  agent: AgentName | undefined;

  constructor(at: string, onGrow: () => void) {
    this.#onGrow = onGrow;
    this.#badge = h('span', { class: 'agent-badge agent-pending' }, 'Assistant');
    this.#tools = h('ul', { class: 'tools', 'aria-label': 'What the assistant is doing' });
    this.#text = h('div', { class: 'msg-text' });
    this.#extras = h('div', { class: 'msg-extras' });
    this.#typing = h('div', { class: 'typing' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), h('span', { class: 'typing-label' }, 'Thinking…'));
    this.element = h(
      'li',
      { class: 'msg msg-assistant', 'data-state': 'thinking' },
      (this.#avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' }, icon('note'))),
      h(
        'div',
        { class: 'bubble' },
        h('div', { class: 'msg-meta' }, this.#badge, h('time', { class: 'msg-time', datetime: at }, clockTime(at))),
        this.#tools,
        this.#text,
        this.#typing,
        this.#extras,
      ),
    );
  }

  get state(): string {
    return this.element.dataset.state ?? '';
  }

  setAgent(agent: AgentName, reason?: string): void {
    this.agent = agent;
    this.element.dataset.agent = agent;
    this.#badge.className = `agent-badge agent-${agent}`;
    this.#badge.textContent = AGENT_LABEL[agent];
    this.#avatar.replaceChildren(icon(agent === 'music_expert' ? 'note' : 'headset'));
    if (reason) this.#badge.title = reason;
    this.#typingLabel(this.#buffer ? '' : `${AGENT_LABEL[agent]} is on it…`);
  }

  tool(event: { name: string; status: ToolStatus; summary: string }): void {
    let item: HTMLLIElement | undefined;
    if (event.status !== 'started') {
      item = [...this.#tools.querySelectorAll<HTMLLIElement>('li[data-status="started"]')]
        .reverse()
        .find((li) => li.dataset.tool === event.name);
    }
    if (!item) {
      item = h('li', { class: 'tool', 'data-tool': event.name });
      this.#tools.appendChild(item);
    }
    item.dataset.status = event.status;
    item.replaceChildren();
    append(item, [
      event.status === 'started'
        ? h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' })
        : icon(event.status === 'done' ? 'check' : 'alert', 'icon tool-icon'),
      h('span', { class: 'tool-summary' }, event.summary),
      event.status === 'error' ? h('span', { class: 'sr-only' }, ' (failed)') : null,
    ]);
    this.#onGrow();
  }

  appendDelta(text: string): void {
    this.#buffer += text;
    this.element.dataset.state = 'streaming';
    this.#typingLabel('');
    this.#scheduleRender();
  }

  /** The authoritative full reply: replaces whatever the deltas built. */
  finish(reply: string): void {
    this.#buffer = reply || this.#buffer;
    clearTimeout(this.#renderTimer);
    this.#renderNow();
    this.#typing.remove();
    this.#tools.querySelectorAll('li[data-status="started"]').forEach((li) => li.remove());
    this.element.dataset.state = 'done';
  }

  fail(message: string, retry?: () => void): void {
    clearTimeout(this.#renderTimer);
    if (this.#buffer) this.#renderNow();
    this.#typing.remove();
    this.#tools.querySelectorAll<HTMLLIElement>('li[data-status="started"]').forEach((li) => li.remove());
    this.element.dataset.state = 'error';
    this.#extras.appendChild(
      h(
        'div',
        { class: 'msg-error', role: 'alert' },
        icon('alert'),
        h('span', null, message),
        retry ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: retry }, 'Try again') : null,
      ),
    );
    this.#onGrow();
  }

  addExtra(node: HTMLElement): void {
    this.#extras.appendChild(node);
    this.#onGrow();
  }

  get text(): string {
    return this.#buffer;
  }

  #typingLabel(label: string): void {
    const span = this.#typing.querySelector('.typing-label');
    if (span) span.textContent = label;
    this.#typing.hidden = this.element.dataset.state === 'streaming';
  }

  #scheduleRender(): void {
    // Deltas can be tiny and many: re-render the formatted text at most every ~30 ms.
    this.#renderTimer ??= setTimeout(() => {
      this.#renderTimer = undefined;
      this.#renderNow();
    }, 30);
  }

  #renderNow(): void {
    this.#renderTimer = undefined;
    renderText(this.#text, this.#buffer);
    this.#onGrow();
  }
}
