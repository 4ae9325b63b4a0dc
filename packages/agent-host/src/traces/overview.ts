import type { NamedSeries, TraceOverview } from '@algorhythm/web/schemas';
import { bucketCount, type OverviewRange } from './overview-window.ts';
import { latencyPercentiles } from './percentiles.ts';

/**
 * What the overview reads from a span store: a few grouped rows, the same plain queries on any database
 * (overview-sqlite.ts). `bucket` is the bucket's index from the range's start; durations are in milliseconds.
 */
export interface OverviewRows {
  /** `chat` spans summed by bucket, agent and model. */
  usage: Array<{ bucket: number; agent: string | null; model: string; costUsd: number; inputTokens: number; outputTokens: number }>;
  /** Finished turns counted by bucket and route. */
  turns: Array<{ bucket: number; route: string | null; turns: number }>;
  /** Every `invoke_agent` span, sorted by agent, then duration. */
  agentDurations: Array<{ bucket: number; agent: string; durationMs: number }>;
  /** Every `execute_tool` span, sorted by tool, then duration. */
  toolCalls: Array<{ tool: string; durationMs: number; error: boolean }>;
}

/** Chat spans without an agent (none today) still count towards the totals. */
const NO_AGENT = 'none';

/** The overview's series and tables from the rows of one range. */
export function buildOverview(range: OverviewRange, rows: OverviewRows): TraceOverview {
  const n = bucketCount(range);
  const zeros = () => Array.from({ length: n }, () => 0);
  const inRange = (bucket: number) => bucket >= 0 && bucket < n;

  const costByAgent = new Map<string, number[]>();
  const costByModel = new Map<string, number[]>();
  const input = zeros();
  const output = zeros();
  for (const row of rows.usage.filter((r) => inRange(r.bucket))) {
    add(costByAgent, row.agent ?? NO_AGENT, n, row.bucket, row.costUsd);
    add(costByModel, row.model, n, row.bucket, row.costUsd);
    input[row.bucket]! += row.inputTokens;
    output[row.bucket]! += row.outputTokens;
  }

  const turns = zeros();
  const routes = new Map<string, number>();
  for (const row of rows.turns.filter((r) => inRange(r.bucket))) {
    turns[row.bucket]! += row.turns;
    if (row.route) routes.set(row.route, (routes.get(row.route) ?? 0) + row.turns);
  }

  return {
    from: range.fromMs,
    to: range.toMs,
    bucketMs: range.bucketMs,
    buckets: Array.from({ length: n }, (_, i) => range.fromMs + i * range.bucketMs),
    totals: {
      turns: sum(turns),
      costUsd: roundUsd(sum([...costByModel.values()].flat())),
      inputTokens: sum(input),
      outputTokens: sum(output),
    },
    turns,
    costByAgent: toSeries(costByAgent),
    costByModel: toSeries(costByModel),
    tokens: { input, output },
    agents: agentLatency(rows.agentDurations.filter((r) => inRange(r.bucket)), n),
    tools: toolStats(rows.toolCalls),
    routes: [...routes].map(([route, count]) => ({ route, turns: count })).sort((a, b) => b.turns - a.turns || a.route.localeCompare(b.route)),
  };
}

function agentLatency(rows: OverviewRows['agentDurations'], n: number): TraceOverview['agents'] {
  return [...groupBy(rows, (r) => r.agent)].map(([name, spans]) => {
    const perBucket = Array.from({ length: n }, (): number[] => []);
    // Rows come sorted by duration, so each bucket's list is sorted too.
    for (const span of spans) perBucket[span.bucket]!.push(span.durationMs);
    const at = (q: 'p50Ms' | 'p95Ms' | 'p99Ms') => perBucket.map((durations) => latencyPercentiles(durations)?.[q] ?? null);
    return { name, latency: latencyPercentiles(spans.map((s) => s.durationMs))!, p50Ms: at('p50Ms'), p95Ms: at('p95Ms'), p99Ms: at('p99Ms') };
  });
}

function toolStats(rows: OverviewRows['toolCalls']): TraceOverview['tools'] {
  return [...groupBy(rows, (r) => r.tool)]
    .map(([name, calls]) => {
      const errors = calls.filter((c) => c.error).length;
      return { name, calls: calls.length, errors, errorRate: errors / calls.length, latency: latencyPercentiles(calls.map((c) => c.durationMs))! };
    })
    .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
}

function add(series: Map<string, number[]>, name: string, n: number, bucket: number, value: number): void {
  let values = series.get(name);
  if (!values) series.set(name, (values = Array.from({ length: n }, () => 0)));
  values[bucket]! += value;
}

/** Largest total first, so stacked charts and legends read the same way. */
function toSeries(series: Map<string, number[]>): NamedSeries[] {
  return [...series]
    .map(([name, values]) => ({ name, values: values.map(roundUsd), total: sum(values) }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
    .map(({ name, values }) => ({ name, values }));
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
/** Float sums of many small costs: ten decimals is well below a cent and hides the noise. */
const roundUsd = (usd: number) => Math.round(usd * 1e10) / 1e10;
