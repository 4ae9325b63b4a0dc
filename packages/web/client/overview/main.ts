// Overview page (`/admin/overview`): the Grafana dashboard's key panels over a chosen window, from the host's
// span store and approvals, drawn with uPlot and refreshed while the page is visible.
import '../styles/base.css';
import '../styles/admin.css';
import '../styles/overview.css';
import { ApiError, requestJson } from '../api/http.ts';
import { OverviewResponse, OverviewWindow, type TraceOverview } from '../../src/api/schemas.ts';
import { adminSignIn } from '../lib/admin-signin.ts';
import { pollWhileShown } from '../lib/poll-while-shown.ts';
import { byId } from '../lib/dom.ts';
import { formatMs } from '../traces/waterfall.ts';
import { latencyTable, routeSplit, statTiles, toolTable } from './panels.ts';
import { timeChart } from './time-chart.ts';
import { formatCount, formatUsd } from './units.ts';

const REFRESH_MS = 10_000;
const el = {
  view: byId('overview-view'),
  window: byId<HTMLSelectElement>('window'),
  updated: byId('updated'),
  error: byId('overview-error'),
  empty: byId('overview-empty'),
  stats: byId('stats'),
  panels: byId('panels'),
  latency: byId('latency'),
  tools: byId('tools'),
  routes: byId('routes'),
};
const charts = {
  costByAgent: timeChart(byId('chart-cost-agent'), formatUsd),
  costByModel: timeChart(byId('chart-cost-model'), formatUsd),
  tokens: timeChart(byId('chart-tokens'), formatCount),
  agentLatency: timeChart(byId('chart-agent-latency'), formatMs),
};

function draw(overview: OverviewResponse): void {
  const t = overview.traces;
  el.stats.replaceChildren(...statTiles(overview));
  const empty = t.totals.turns === 0 && t.agents.length === 0 && t.tools.length === 0;
  el.empty.hidden = !empty;
  el.panels.hidden = empty;
  if (empty) return;
  const axis = { x: t.buckets, from: t.from, to: t.to };
  charts.costByAgent.update({ ...axis, series: t.costByAgent.map((s) => ({ label: s.name, values: s.values })) });
  charts.costByModel.update({ ...axis, series: t.costByModel.map((s) => ({ label: s.name, values: s.values })) });
  charts.tokens.update({ ...axis, series: [{ label: 'input', values: t.tokens.input }, { label: 'output', values: t.tokens.output, dashed: true }] });
  charts.agentLatency.update({ ...axis, series: t.agents.map((a) => ({ label: a.name, values: a.p95Ms })) });
  el.latency.replaceChildren(...latencyTable(t));
  el.tools.replaceChildren(...toolTable(t));
  el.routes.replaceChildren(...routeSplit(t));
  el.tools.hidden = t.tools.length === 0;
}

function chosenWindow(): OverviewWindow {
  const parsed = OverviewWindow.safeParse(el.window.value);
  return parsed.success ? parsed.data : '24h';
}

async function refresh(): Promise<void> {
  try {
    const overview = await requestJson(`/api/admin/overview?window=${chosenWindow()}`, OverviewResponse);
    draw(overview);
    el.error.hidden = true;
    el.updated.textContent = `Updated ${new Date().toLocaleTimeString()} · ${bucketWords(overview.traces)}`;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signIn.show();
    el.error.hidden = false;
    el.error.textContent = error instanceof Error ? error.message : String(error);
  }
}

function bucketWords(t: TraceOverview): string {
  const minutes = t.bucketMs / 60_000;
  return minutes < 60 ? `${minutes}-minute buckets` : minutes < 1440 ? `${minutes / 60}-hour buckets` : `${minutes / 1440}-day buckets`;
}

const signIn = adminSignIn({ content: el.view, onSignedIn: () => start() });

// The window lives in the address too, so a reload or a shared link keeps it.
const fromAddress = OverviewWindow.safeParse(new URLSearchParams(location.search).get('window'));
if (fromAddress.success) el.window.value = fromAddress.data;
el.window.addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('window', chosenWindow());
  history.replaceState(null, '', url);
  void refresh();
});

const start = pollWhileShown(el.view, refresh, REFRESH_MS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !el.view.hidden) void refresh();
});
start();
