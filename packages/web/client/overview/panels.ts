// The overview's numbers as elements: total tiles, the latency and tool tables, the route split.
import { AGENT_LABEL, type AgentName, type LatencyPercentiles, type OverviewResponse, type TraceOverview } from '../../src/api/schemas.ts';
import { h } from '../lib/dom.ts';
import { formatMs } from '../traces/waterfall.ts';
import { formatCount, formatPercent, formatSeconds, formatUsd } from './units.ts';

export function statTiles({ traces, approvals }: OverviewResponse): HTMLElement[] {
  const tile = (label: string, value: string) => h('div', { class: 'stat' }, h('dt', null, label), h('dd', null, value));
  return [
    tile('Turns', formatCount(traces.totals.turns)),
    tile('Estimated cost', formatUsd(traces.totals.costUsd)),
    tile('Input tokens', formatCount(traces.totals.inputTokens)),
    tile('Output tokens', formatCount(traces.totals.outputTokens)),
    tile('Approvals waiting', String(approvals.waiting)),
    tile('Decided', String(approvals.decided)),
    tile('Time to decision P50', formatSeconds(approvals.timeToDecision.p50Seconds)),
    tile('Time to decision P95', formatSeconds(approvals.timeToDecision.p95Seconds)),
  ];
}

/** Span names as the dashboard has them (`gen_ai.agent.name`, `gen_ai.tool.name`), with the agents' labels beside. */
const agentLabel = (name: string) => (name in AGENT_LABEL ? `${name} (${AGENT_LABEL[name as AgentName]})` : name);

export function latencyTable(traces: TraceOverview): HTMLElement[] {
  const row = (kind: string, name: string, latency: LatencyPercentiles) =>
    h(
      'tr',
      { 'data-name': name },
      h('td', { class: 'hide-phone' }, kind),
      h('th', { scope: 'row' }, name),
      h('td', { class: 'num' }, latency.count),
      h('td', { class: 'num' }, formatMs(latency.p50Ms)),
      h('td', { class: 'num' }, formatMs(latency.p95Ms)),
      h('td', { class: 'num' }, formatMs(latency.p99Ms)),
    );
  return [
    h('thead', null, h('tr', null, h('th', { class: 'hide-phone' }, ''), h('th', null, 'Name'), h('th', { class: 'num' }, 'Count'), h('th', { class: 'num' }, 'P50'), h('th', { class: 'num' }, 'P95'), h('th', { class: 'num' }, 'P99'))),
    h('tbody', null, ...traces.agents.map((a) => row('agent', a.name, a.latency)), ...traces.tools.map((t) => row('tool', t.name, t.latency))),
  ];
}

export function toolTable(traces: TraceOverview): HTMLElement[] {
  return [
    h('thead', null, h('tr', null, h('th', null, 'Tool'), h('th', { class: 'num' }, 'Calls'), h('th', { class: 'num' }, 'Errors'), h('th', null, 'Error rate'))),
    h(
      'tbody',
      null,
      ...traces.tools.map((t) =>
        h(
          'tr',
          { 'data-name': t.name, class: t.errors > 0 ? 'has-errors' : null },
          h('th', { scope: 'row' }, t.name),
          h('td', { class: 'num' }, t.calls),
          h('td', { class: 'num' }, t.errors),
          h('td', null, share(t.errorRate, 'bad')),
        ),
      ),
    ),
  ];
}

export function routeSplit(traces: TraceOverview): HTMLElement[] {
  const total = traces.routes.reduce((n, r) => n + r.turns, 0);
  return traces.routes.map((r) =>
    h(
      'li',
      { 'data-route': r.route },
      h('span', { class: 'route-name' }, agentLabel(r.route)),
      share(total > 0 ? r.turns / total : 0, r.route),
      h('span', { class: 'num' }, `${r.turns} turn${r.turns === 1 ? '' : 's'}`),
    ),
  );
}

function share(fraction: number, tone: string): HTMLElement {
  return h(
    'span',
    { class: 'share', 'data-tone': tone },
    h('span', { class: 'share-track', 'aria-hidden': 'true' }, h('span', { class: 'share-bar', style: `width: ${Math.round(fraction * 100)}%` })),
    h('span', { class: 'share-value' }, formatPercent(fraction)),
  );
}
