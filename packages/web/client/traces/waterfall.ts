// One trace as a waterfall: spans nested under their parents, bars placed on the trace's time axis.
import type { TraceSpan } from '../../src/api/schemas.ts';
import { h } from '../lib/dom.ts';

const SERVICE_SHORT: Record<string, string> = {
  'algorhythm-agent-host': 'host',
  'algorhythm-catalog-mcp': 'catalog-mcp',
  'algorhythm-support-mcp': 'support-mcp',
};

/** Depth-first order (children by start time), with each span's depth. */
export function treeOrder(spans: readonly TraceSpan[]): Array<{ span: TraceSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const out: Array<{ span: TraceSpan; depth: number }> = [];
  const visit = (parent: string | null, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startTime - b.startTime)) {
      out.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

export function renderWaterfall(spans: readonly TraceSpan[], onSelect: (span: TraceSpan) => void): HTMLElement[] {
  const start = Math.min(...spans.map((s) => s.startTime));
  const end = Math.max(...spans.map((s) => s.startTime + s.durationMs));
  const total = Math.max(end - start, 0.001);
  return treeOrder(spans).map(({ span, depth }) => {
    const left = ((span.startTime - start) / total) * 100;
    const width = Math.max((span.durationMs / total) * 100, 0.3);
    const service = SERVICE_SHORT[span.service] ?? span.service;
    const row = h(
      'button',
      {
        type: 'button',
        class: `span-row${span.status.code === 2 ? ' span-error' : ''}`,
        role: 'treeitem',
        'aria-level': depth + 1,
        'data-service': service,
        'data-span-id': span.spanId,
        onclick: () => onSelect(span),
      },
      h('span', { class: 'span-name', style: `padding-left:${depth * 14}px` }, span.name, ' ', h('span', { class: 'span-service' }, service)),
      h('span', { class: 'span-track' }, h('span', { class: 'span-bar', style: `left:${left}%;width:${width}%` })),
      h('span', { class: 'span-duration' }, formatMs(span.durationMs)),
    );
    return row;
  });
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
}
