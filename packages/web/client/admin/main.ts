// Admin page (`/admin`): sign-in (the token form, or the organisation's OpenID provider), then the live approval queue.
import '../styles/base.css';
import '../styles/admin.css';
import { api } from '../api/client.ts';
import { subscribe, type LiveStream } from '../api/chat-stream.ts';
import { ApiError } from '../api/http.ts';
import { Approval, type ElicitationAnswer } from '../../src/api/schemas.ts';
import { showAdminSignInChoice } from '../lib/admin-sign-in-mode.ts';
import { byId } from '../lib/dom.ts';
import { STATUS_LABEL } from '../lib/text.ts';
import { Queue } from './queue.ts';

const views = ['loading-view', 'signin-view', 'queue-view'] as const;
type View = (typeof views)[number];

const el = {
  liveStatus: byId('live-status'),
  liveLabel: byId('live-label'),
  signOut: byId<HTMLButtonElement>('admin-sign-out'),
  form: byId<HTMLFormElement>('admin-signin-form'),
  token: byId<HTMLInputElement>('admin-token'),
  oidc: byId('admin-signin-oidc'),
  oidcLink: byId<HTMLAnchorElement>('admin-oidc-link'),
  submit: byId<HTMLButtonElement>('admin-signin-submit'),
  signinError: byId('admin-signin-error'),
  queueError: byId('queue-error'),
  announcer: byId('announcer'),
};

const queue = new Queue(
  {
    pendingList: byId<HTMLUListElement>('pending-list'),
    pendingEmpty: byId('pending-empty'),
    pendingCount: byId('pending-count'),
    pendingTitle: byId('pending-title'),
    decidedList: byId<HTMLUListElement>('decided-list'),
    decidedEmpty: byId('decided-empty'),
  },
  decide,
);

let live: LiveStream | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 1000;

function show(view: View): void {
  for (const id of views) byId(id).hidden = id !== view;
  document.body.dataset.view = view;
  el.signOut.hidden = view !== 'queue-view';
  el.liveStatus.hidden = view !== 'queue-view';
}

function announce(text: string): void {
  el.announcer.textContent = '';
  setTimeout(() => {
    el.announcer.textContent = text;
  }, 50);
}

function setQueueError(message: string | undefined): void {
  el.queueError.hidden = !message;
  el.queueError.textContent = message ?? '';
}

function setLive(state: 'connecting' | 'live' | 'reconnecting' | 'closed'): void {
  el.liveStatus.dataset.state = state;
  el.liveLabel.textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline, retrying…' }[state];
}

// ---- loading, live updates --------------------------------------------------------------------

/** Loads the queue; on 401 shows sign-in. */
async function load(): Promise<boolean> {
  try {
    const { approvals } = await api.approvals();
    queue.replaceAll(approvals);
    setQueueError(undefined);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signedOut();
      return false;
    }
    setQueueError(`Could not load the queue. ${error instanceof Error ? error.message : ''}`);
    return false;
  }
}

function follow(): void {
  live?.close();
  setLive('connecting');
  live = subscribe(api.adminEventsUrl, ['approval'], (_name, data) => Approval.parse(JSON.parse(data)), {
    onEvent(approval) {
      const before = queue.get(approval.id);
      const isNew = queue.upsert(approval);
      if (isNew && approval.status === 'pending') {
        announce(`New request from ${approval.customer.name}: ${subject(approval)}.`);
      } else if (before && before.status !== approval.status) {
        announce(`${subject(approval)}: ${STATUS_LABEL[approval.status]}.`);
      }
    },
    onOpen(reconnect) {
      retryDelay = 1000;
      setLive('live');
      // Anything that changed while the stream was down comes with a fresh list.
      if (reconnect) void load();
    },
    onStateChange(state) {
      setLive(state);
      if (state !== 'closed') return;
      // EventSource gives up on an HTTP error: the admin cookie may have expired. Check, then retry.
      clearTimeout(retryTimer);
      retryTimer = setTimeout(async () => {
        if (await load()) follow();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30_000);
    },
  });
}

function stopFollowing(): void {
  clearTimeout(retryTimer);
  live?.close();
  live = undefined;
  queue.stop();
}

async function openQueue(): Promise<void> {
  show('loading-view');
  if (!(await load())) return;
  show('queue-view');
  queue.start();
  follow();
}

function signedOut(message?: string): void {
  stopFollowing();
  show('signin-view');
  el.signinError.hidden = !message;
  el.signinError.textContent = message ?? '';
  void showAdminSignInChoice(el.form, el.oidc, el.oidcLink).then(() => (el.form.hidden ? el.oidcLink : el.token).focus());
}

// ---- decisions --------------------------------------------------------------------------------

const ANSWERED: Record<ElicitationAnswer['action'], string> = { accept: 'submitted', decline: 'declined', cancel: 'dismissed' };

/** How the page names a request in announcements: the server's summary title, else the customer. */
function subject(approval: Approval): string {
  return approval.elicitation.summary?.title ?? `the request from ${approval.customer.name}`;
}

async function decide(approval: Approval, answer: ElicitationAnswer): Promise<void> {
  try {
    const updated = await api.decide(approval.id, answer);
    queue.focusAfter(approval.id);
    queue.upsert(updated);
    announce(`Answer ${ANSWERED[answer.action]}: ${subject(approval)}.`);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(0, 'The decision could not be sent.');
    if (apiError.status === 401) return signedOut('Your admin session ended. Please sign in again.');
    if (apiError.status === 409) {
      // Someone else decided first, or it expired: show the request as it now stands.
      queue.fail(approval.id, `${apiError.message} Refreshing…`);
      setTimeout(() => void load(), 1200);
      return;
    }
    // 400: the host's check refused the content (same rules as the page); its words go in the card.
    queue.fail(approval.id, apiError.message);
  }
}

// ---- sign-in / sign-out -----------------------------------------------------------------------

el.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = el.token.value.trim();
  if (!token) {
    el.signinError.textContent = 'Enter the admin token.';
    el.signinError.hidden = false;
    el.token.focus();
    return;
  }
  el.submit.disabled = true;
  el.submit.textContent = 'Signing in…';
  try {
    await api.adminLogin({ token });
    el.token.value = '';
    el.signinError.hidden = true;
    await openQueue();
    byId('pending-title').focus();
  } catch (error) {
    const message =
      error instanceof ApiError && error.status === 401 ? 'That token is not valid.' : error instanceof Error ? error.message : String(error);
    el.signinError.textContent = message;
    el.signinError.hidden = false;
    el.token.select();
  } finally {
    el.submit.disabled = false;
    el.submit.textContent = 'Sign in';
  }
});

el.signOut.addEventListener('click', async () => {
  stopFollowing();
  try {
    await api.adminLogout();
  } catch {
    // Signed out locally either way.
  }
  signedOut();
});

void openQueue();
