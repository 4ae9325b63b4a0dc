import type { TraceOverview } from '@algorhythm/web/schemas';
import { spanName } from '@algorhythm/telemetry';
import { buildOverview, type OverviewRows } from './overview.ts';
import type { OverviewRange } from './overview-window.ts';
import type { TraceDb } from './trace-db.ts';

// Plain SQL a PostgreSQL store can take as it is (placeholders aside): integer bucket arithmetic, GROUP BY
// on output names, `||`, no JSON or date functions. Percentiles are computed from the sorted rows.
// Parameters: the range's start, bucket size and end, in nanoseconds (start_ns is in nanoseconds).
const BUCKET = '(start_ns - @from) / @bucket';
const IN_RANGE = 'start_ns >= @from AND start_ns < @to';

const USAGE = `SELECT ${BUCKET} AS bucket, agent, model, SUM(cost_usd) AS cost_usd,
    SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
  FROM span WHERE model IS NOT NULL AND ${IN_RANGE}
  GROUP BY bucket, agent, model`;

/** A turn: a trace in which an agent ran and whose root arrived (the trace list's `turnsOnly`). */
const TURNS = `SELECT ${BUCKET} AS bucket, route, COUNT(*) AS turns
  FROM trace WHERE agents <> '' AND root_name IS NOT NULL AND ${IN_RANGE}
  GROUP BY bucket, route`;

const AGENT_DURATIONS = `SELECT ${BUCKET} AS bucket, agent, duration_ns
  FROM span WHERE agent IS NOT NULL AND name = @invokeAgent || agent AND ${IN_RANGE}
  ORDER BY agent, duration_ns`;

const TOOL_CALLS = `SELECT tool, duration_ns, error
  FROM span WHERE tool IS NOT NULL AND name = @executeTool || tool AND ${IN_RANGE}
  ORDER BY tool, duration_ns`;

/** The span names' fixed prefixes (`invoke_agent `, `execute_tool `), then the agent's or tool's name. */
const INVOKE_AGENT = spanName.invokeAgent('');
const EXECUTE_TOOL = spanName.executeTool('');

const NS_PER_MS = 1_000_000n;

/** The overview of one range from the SQLite span store. */
export function readOverview(db: TraceDb, range: OverviewRange): TraceOverview {
  const params = {
    from: BigInt(range.fromMs) * NS_PER_MS,
    to: BigInt(range.toMs) * NS_PER_MS,
    bucket: BigInt(range.bucketMs) * NS_PER_MS,
  };
  const all = <T>(sql: string, extra: Record<string, string> = {}) => db.prepare(sql).all({ ...params, ...extra }) as T[];
  const ms = (ns: number) => ns / 1e6;
  // One read transaction: the four queries see the same spans, however many arrive meanwhile.
  const rows = db.transaction((): OverviewRows => ({
    usage: all<{ bucket: number; agent: string | null; model: string; cost_usd: number; input_tokens: number; output_tokens: number }>(USAGE).map((r) => ({
      bucket: r.bucket,
      agent: r.agent,
      model: r.model,
      costUsd: r.cost_usd,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
    })),
    turns: all<{ bucket: number; route: string | null; turns: number }>(TURNS),
    agentDurations: all<{ bucket: number; agent: string; duration_ns: number }>(AGENT_DURATIONS, { invokeAgent: INVOKE_AGENT }).map((r) => ({
      bucket: r.bucket,
      agent: r.agent,
      durationMs: ms(r.duration_ns),
    })),
    toolCalls: all<{ tool: string; duration_ns: number; error: number }>(TOOL_CALLS, { executeTool: EXECUTE_TOOL }).map((r) => ({
      tool: r.tool,
      durationMs: ms(r.duration_ns),
      error: r.error !== 0,
    })),
  }))();
  return buildOverview(range, rows);
}
