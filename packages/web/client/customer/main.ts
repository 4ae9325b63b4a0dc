// Customer page (`/`): sign-in (the demo picker, or a link to the store's sign-in in a real mode), then the chat.
import '../styles/base.css';
import '../styles/customer.css';
import { api } from '../api/client.ts';
import { ApiError } from '../api/http.ts';
import type { CustomerSignInMode, SessionResponse } from '../../src/api/schemas.ts';
import { byId, h } from '../lib/dom.ts';
import { ChatController } from './chat.ts';
import { SUGGESTIONS } from './suggestions.ts';
import { Transcript } from './transcript.ts';

const views = ['loading-view', 'boot-error-view', 'signin-view', 'chat-view'] as const;
type View = (typeof views)[number];

const el = {
  modelBadge: byId('model-badge'),
  account: byId('account'),
  accountName: byId('account-name'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  bootErrorText: byId('boot-error-text'),
  bootRetry: byId<HTMLButtonElement>('boot-retry'),
  signinForm: byId<HTMLFormElement>('signin-form'),
  demoMode: byId('demo-mode'),
  demoFineprint: byId('demo-fineprint'),
  signinOidc: byId('signin-oidc'),
  signinStore: byId('signin-store'),
  customerSelect: byId<HTMLSelectElement>('customer-select'),
  signinSubmit: byId<HTMLButtonElement>('signin-submit'),
  signinError: byId('signin-error'),
  chatTitle: byId('chat-title'),
  newConversation: byId<HTMLButtonElement>('new-conversation'),
  transcript: byId('transcript'),
  messages: byId<HTMLOListElement>('messages'),
  welcome: byId('welcome'),
  suggestions: byId<HTMLUListElement>('suggestions'),
  composer: byId<HTMLFormElement>('composer'),
  input: byId<HTMLTextAreaElement>('composer-input'),
  send: byId<HTMLButtonElement>('send'),
  announcer: byId('announcer'),
};

const transcript = new Transcript(el.messages, el.transcript);
let chat: ChatController | undefined;

function show(view: View): void {
  for (const id of views) byId(id).hidden = id !== view;
  document.body.dataset.view = view;
}

/** Screen-reader announcement of a finished message, decision or error. */
function announce(text: string): void {
  // Replace rather than append, so the live region reads just the new message.
  el.announcer.textContent = '';
  setTimeout(() => {
    el.announcer.textContent = text;
  }, 50);
}

function showModel(model: SessionResponse['model']): void {
  el.modelBadge.hidden = false;
  el.modelBadge.className = model.offline ? 'badge badge-model badge-offline' : 'badge badge-model';
  el.modelBadge.replaceChildren(
    h('span', null, ...(model.offline ? ['Offline', h('span', { class: 'badge-long' }, ' demo model')] : [model.label])),
  );
  el.modelBadge.title = model.offline
    ? `${model.label}: a built-in model that answers from the real catalog without an AI provider`
    : `Answers by ${model.label}`;
}

let signInMode: CustomerSignInMode = 'demo';

async function boot(): Promise<void> {
  show('loading-view');
  let session: SessionResponse;
  try {
    session = await api.session();
  } catch (error) {
    el.bootErrorText.textContent = error instanceof Error ? error.message : String(error);
    show('boot-error-view');
    el.bootRetry.focus();
    return;
  }
  showModel(session.model);
  signInMode = session.signIn;
  const demo = signInMode === 'demo';
  el.demoMode.hidden = !demo;
  el.demoFineprint.hidden = !demo;
  el.signinForm.hidden = !demo;
  el.signinOidc.hidden = signInMode !== 'oidc';
  el.signinStore.hidden = signInMode !== 'store-token';
  if (session.customer) startChat(session.customer.name);
  else void showSignIn();
}

// ---- sign-in ----------------------------------------------------------------------------------

async function showSignIn(message?: string): Promise<void> {
  chat?.dispose();
  chat = undefined;
  el.account.hidden = true;
  setSigninError(message);
  show('signin-view');
  if (signInMode !== 'demo') return;
  if (el.customerSelect.options.length > 1) {
    el.customerSelect.focus();
    return;
  }
  try {
    const { customers } = await api.demoCustomers();
    el.customerSelect.replaceChildren(
      h('option', { value: '' }, 'Choose a customer…'),
      ...customers.map((c) => h('option', { value: String(c.id) }, `${c.name} · ${c.country}`)),
    );
    el.customerSelect.disabled = false;
    el.signinSubmit.disabled = false;
    el.customerSelect.focus();
  } catch (error) {
    el.customerSelect.replaceChildren(h('option', { value: '' }, 'Customers unavailable'));
    setSigninError(`Could not load the demo customers. ${error instanceof Error ? error.message : ''}`);
  }
}

function setSigninError(message: string | undefined): void {
  el.signinError.hidden = !message;
  el.signinError.textContent = message ?? '';
}

el.signinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = Number(el.customerSelect.value);
  if (!id) {
    setSigninError('Please choose a customer to sign in as.');
    el.customerSelect.focus();
    return;
  }
  setSigninError(undefined);
  el.signinSubmit.disabled = true;
  el.signinSubmit.textContent = 'Signing in…';
  try {
    const { customer } = await api.login(id);
    startChat(customer.name);
  } catch (error) {
    setSigninError(error instanceof ApiError ? error.message : 'Sign-in failed. Please try again.');
  } finally {
    el.signinSubmit.disabled = false;
    el.signinSubmit.textContent = 'Start chatting';
  }
});

el.signOut.addEventListener('click', async () => {
  el.signOut.disabled = true;
  try {
    await api.logout();
  } catch {
    // The cookie may already be gone; the page signs out either way.
  } finally {
    el.signOut.disabled = false;
  }
  void showSignIn();
});

// ---- chat -------------------------------------------------------------------------------------

function startChat(customerName: string): void {
  chat?.dispose();
  el.accountName.textContent = customerName;
  el.account.hidden = false;
  transcript.clear();
  el.chatTitle.textContent = 'New conversation';
  show('chat-view');
  chat = new ChatController({
    customerName,
    elements: {
      transcript,
      input: el.input,
      send: el.send,
      newConversation: el.newConversation,
      title: el.chatTitle,
      welcome: el.welcome,
    },
    announce,
    onSignedOut: (message) => void showSignIn(message),
  });
  el.input.focus();
  void chat.open();
}

el.suggestions.replaceChildren(
  ...SUGGESTIONS.map((s) =>
    h(
      'li',
      null,
      h(
        'button',
        { type: 'button', class: 'suggestion', onclick: () => void chat?.send(s.text) },
        h('span', { class: 'suggestion-hint', 'aria-hidden': 'true' }, s.hint),
        h('span', { class: 'suggestion-text' }, s.text),
      ),
    ),
  ),
);

el.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  void chat?.send(el.input.value);
});

el.input.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; leave IME composition alone.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    if (!chat?.busy) el.composer.requestSubmit();
  }
});

el.input.addEventListener('input', () => {
  el.input.style.height = 'auto';
  el.input.style.height = `${Math.min(el.input.scrollHeight, 180)}px`;
});

el.newConversation.addEventListener('click', () => chat?.reset());
el.bootRetry.addEventListener('click', () => void boot());

void boot();
