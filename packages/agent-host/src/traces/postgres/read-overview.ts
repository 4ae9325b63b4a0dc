import type { Pool } from 'pg';
import type { TraceOverview } from '@algorhythm/web/schemas';
import { spanName } from '@algorhythm/telemetry';
import { buildOverview } from '../overview.ts';
import type { OverviewRange } from '../overview-window.ts';

// The SQLite queries of ../overview-sqlite.ts with numbered placeholders: $1 the range's start, $2 the bucket
// size, $3 its end, in nanoseconds. Names sort byte-wise (COLLATE "C", SQLite's BINARY) whatever the database's
// collation, so agents come out in the same order on both stores.
const BUCKET = '(start_ns - $1) / $2';
const IN_RANGE = 'start_ns >= $1 AND start_ns < $3';

const USAGE = `SELECT ${BUCKET} AS bucket, agent, model, SUM(cost_usd) AS cost_usd,
    SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
  FROM span WHERE model IS NOT NULL AND ${IN_RANGE}
  GROUP BY bucket, agent, model`;

const TURNS = `SELECT ${BUCKET} AS bucket, route, COUNT(*) AS turns
  FROM trace WHERE agents <> '' AND root_name IS NOT NULL AND ${IN_RANGE}
  GROUP BY bucket, route`;

const AGENT_DURATIONS = `SELECT ${BUCKET} AS bucket, agent, duration_ns
  FROM span WHERE agent IS NOT NULL AND name = $4 || agent AND ${IN_RANGE}
  ORDER BY agent COLLATE "C", duration_ns`;

/** No buckets here: $1 the start, $2 the end, $3 the span name's prefix. */
const TOOL_CALLS = `SELECT tool, duration_ns, error
  FROM span WHERE tool IS NOT NULL AND name = $3 || tool AND start_ns >= $1 AND start_ns < $2
  ORDER BY tool COLLATE "C", duration_ns`;

const NS_PER_MS = 1_000_000n;

/** int8 comes back as bigint, SUM of int8 as numeric text: both small enough for a number here. */
type Wide = bigint | string;

/** The overview of one range from the PostgreSQL span store (one snapshot for the four reads). */
export async function readOverview(pool: Pool, range: OverviewRange): Promise<TraceOverview> {
  const params = [BigInt(range.fromMs) * NS_PER_MS, BigInt(range.bucketMs) * NS_PER_MS, BigInt(range.toMs) * NS_PER_MS].map(String);
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const usage = await client.query<{ bucket: Wide; agent: string | null; model: string; cost_usd: number; input_tokens: Wide; output_tokens: Wide }>(USAGE, params);
    const turns = await client.query<{ bucket: Wide; route: string | null; turns: Wide }>(TURNS, params);
    const agents = await client.query<{ bucket: Wide; agent: string; duration_ns: Wide }>(AGENT_DURATIONS, [...params, spanName.invokeAgent('')]);
    const tools = await client.query<{ tool: string; duration_ns: Wide; error: number }>(TOOL_CALLS, [params[0], params[2], spanName.executeTool('')]);
    await client.query('COMMIT');
    const ms = (ns: Wide) => Number(ns) / 1e6;
    return buildOverview(range, {
      usage: usage.rows.map((r) => ({
        bucket: Number(r.bucket),
        agent: r.agent,
        model: r.model,
        costUsd: r.cost_usd,
        inputTokens: Number(r.input_tokens),
        outputTokens: Number(r.output_tokens),
      })),
      turns: turns.rows.map((r) => ({ bucket: Number(r.bucket), route: r.route, turns: Number(r.turns) })),
      agentDurations: agents.rows.map((r) => ({ bucket: Number(r.bucket), agent: r.agent, durationMs: ms(r.duration_ns) })),
      toolCalls: tools.rows.map((r) => ({ tool: r.tool, durationMs: ms(r.duration_ns), error: r.error !== 0 })),
    });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
