// Traces page (`/admin/traces`): the host's recent turns (polled), one turn as a waterfall, a span's attributes.
import '../styles/base.css';
import '../styles/admin.css';
import '../styles/traces.css';
import { ApiError, requestJson } from '../api/http.ts';
import { TraceDetailResponse, TraceListResponse, type TraceSpan, type TraceSummary } from '../../src/api/schemas.ts';
import { adminSignIn } from '../lib/admin-signin.ts';
import { pollWhileShown } from '../lib/poll-while-shown.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { formatMs, renderWaterfall } from './waterfall.ts';

const POLL_MS = 3000;
const el = {
  view: byId('traces-view'),
  filters: byId<HTMLFormElement>('filters'),
  rows: byId('trace-rows'),
  empty: byId('trace-empty'),
  more: byId<HTMLButtonElement>('more'),
  error: byId('list-error'),
  detail: byId('detail'),
  title: byId('detail-title'),
  waterfall: byId('waterfall'),
  attributes: byId('span-attributes'),
};

let selected: string | undefined;
let cursor: string | null = null;
let older: TraceSummary[] = [];

function query(): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(el.filters)) if (typeof value === 'string' && value.trim()) params.set(key, value.trim());
  return params;
}

function row(t: TraceSummary): HTMLElement {
  const status = t.errorCount > 0 ? `${t.errorCount} error${t.errorCount > 1 ? 's' : ''}` : 'ok';
  return h(
    'tr',
    { class: `trace-row${t.errorCount > 0 ? ' trace-error' : ''}${t.traceId === selected ? ' selected' : ''}`, 'data-trace-id': t.traceId, tabindex: 0, onclick: () => void open(t.traceId), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && void open(t.traceId) },
    h('td', null, new Date(t.startTime).toLocaleTimeString()),
    h('td', null, t.customer?.name ?? '—'),
    h('td', null, t.route ?? t.rootName ?? '—'),
    h('td', null, t.models.join(', ') || '—'),
    h('td', { class: 'num' }, formatMs(t.durationMs)),
    h('td', { class: 'num' }, `${t.inputTokens} / ${t.outputTokens}`),
    h('td', { class: 'num' }, t.costUsd > 0 ? `$${t.costUsd.toFixed(5)}` : '—'),
    h('td', { class: 'trace-status' }, status),
  );
}

async function refresh(): Promise<void> {
  try {
    const page = await requestJson(`/api/admin/traces?${query()}`, TraceListResponse);
    if (older.length === 0) cursor = page.nextCursor;
    const seen = new Set(page.traces.map((t) => t.traceId));
    const all = [...page.traces, ...older.filter((t) => !seen.has(t.traceId))];
    el.rows.replaceChildren(...all.map(row));
    el.empty.hidden = all.length > 0;
    el.more.hidden = !cursor;
    el.error.hidden = true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signIn.show();
    el.error.hidden = false;
    el.error.textContent = error instanceof Error ? error.message : String(error);
  }
}

async function loadOlder(): Promise<void> {
  if (!cursor) return;
  const params = query();
  params.set('cursor', cursor);
  const page = await requestJson(`/api/admin/traces?${params}`, TraceListResponse);
  older = [...older, ...page.traces];
  cursor = page.nextCursor;
  await refresh();
}

async function open(traceId: string): Promise<void> {
  selected = traceId;
  for (const tr of el.rows.querySelectorAll('tr')) tr.classList.toggle('selected', tr.getAttribute('data-trace-id') === traceId);
  const { spans } = await requestJson(`/api/admin/traces/${traceId}`, TraceDetailResponse);
  el.detail.hidden = false;
  el.title.textContent = `Trace ${traceId.slice(0, 8)}… · ${spans.length} spans`;
  clear(el.attributes);
  el.waterfall.replaceChildren(...renderWaterfall(spans, showSpan));
}

function showSpan(span: TraceSpan): void {
  for (const b of el.waterfall.querySelectorAll('.span-row')) b.classList.toggle('selected', b.getAttribute('data-span-id') === span.spanId);
  const status = span.status.code === 2 ? `ERROR${span.status.message ? `: ${span.status.message}` : ''}` : span.status.code === 1 ? 'OK' : 'unset';
  el.attributes.textContent = JSON.stringify(
    { name: span.name, service: span.service, duration: formatMs(span.durationMs), status, attributes: span.attributes, events: span.events },
    null,
    2,
  );
}

const signIn = adminSignIn({ content: el.view, onSignedIn: () => start() });
el.filters.addEventListener('input', () => {
  older = [];
  void refresh();
});
el.more.addEventListener('click', () => void loadOlder());

const start = pollWhileShown(el.view, refresh, POLL_MS);

// Filters can come in the address: `/admin/traces?conversationId=…` from the approval queue.
for (const [key, value] of new URLSearchParams(location.search)) {
  const field = el.filters.elements.namedItem(key);
  if (field instanceof HTMLInputElement) {
    if (field.type === 'checkbox') field.checked = value === 'true';
    else field.value = value;
  }
}
start();
