import type { ReceivedSpan } from './otlp-decode.ts';

/** Direct children of `parent`, by start time. */
export function childrenOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans
    .filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId)
    .sort((a, b) => a.startTime - b.startTime);
}

/**
 * The spans as an indented tree, one `name [service]` per line, children by start time; roots are
 * spans whose parent is not among `spans` (so a trace continued from a remote parent still shows).
 * Handy for asserting the span hierarchy of a turn in one readable snapshot.
 */
export function formatSpanTree(spans: readonly ReceivedSpan[], options: { traceId?: string } = {}): string {
  const selected = options.traceId ? spans.filter((s) => s.traceId === options.traceId) : [...spans];
  const ids = new Set(selected.map((s) => `${s.traceId}/${s.spanId}`));
  const roots = selected
    .filter((s) => !s.parentSpanId || !ids.has(`${s.traceId}/${s.parentSpanId}`))
    .sort((a, b) => a.startTime - b.startTime);
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${span.name} [${span.serviceName}]`);
    for (const child of childrenOf(selected, span)) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join('\n');
}
