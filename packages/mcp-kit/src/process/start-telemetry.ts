import type { Tracer } from '@opentelemetry/api';
import type { SERVICE } from '@algorhythm/telemetry';
import type { ToolCallInstrument } from '../tools/define-tool.ts';

export interface ProcessTelemetry<Db> {
  /** The handle tools should use: each SQL statement a span when traces are exported. */
  db: Db;
  instrument: ToolCallInstrument | undefined;
  shutdown: () => Promise<void>;
}

export interface TelemetryOptions<Db> {
  service: keyof typeof SERVICE;
  version: string;
  db: Db;
  env: Record<string, string | undefined>;
}

/**
 * OpenTelemetry, configured by the OTEL_* variables (the host passes its own on): a `traceparent` in each
 * request's _meta continues the host's trace. Loaded only when some OTEL_* variable is set, and spans and SQL
 * wrapping only when traces are exported, so a plain start (the cold-start path) never loads it.
 */
export async function startTelemetryIfConfigured<Db extends object>({
  service,
  version,
  db,
  env,
}: TelemetryOptions<Db>): Promise<ProcessTelemetry<Db> | undefined> {
  if (!Object.keys(env).some((key) => key.startsWith('OTEL_'))) return undefined;
  const [{ SERVICE }, { startTelemetry }] = await Promise.all([import('@algorhythm/telemetry'), import('@algorhythm/telemetry/setup')]);
  const started = await startTelemetry({ serviceName: SERVICE[service], serviceVersion: version, env });
  // A stdio server ends when the host closes stdin and the event loop empties: flush spans first.
  process.once('beforeExit', () => void started.shutdown());
  if (!started.exporting.traces) return { db, instrument: undefined, shutdown: started.shutdown };
  return { ...(await serviceInstruments(started.tracer, db)), shutdown: started.shutdown };
}

/**
 * What a server's tools are traced with, given a recording tracer: a SERVER span per tool call and a span per SQL
 * statement. Its own process's (above), or the host's tracer for this service when the host runs it in-process.
 */
export async function serviceInstruments<Db extends object>(
  tracer: Tracer,
  db: Db,
  /** `inproc` inside the host; else read from each request (`tcp` over HTTP, `pipe` over stdio). */
  transport?: string,
): Promise<{ db: Db; instrument: ToolCallInstrument }> {
  const [{ DB_SYSTEM, traceSqlStatements }, { toolCallSpans }] = await Promise.all([
    import('@algorhythm/telemetry'),
    import('../tools/tool-call-spans.ts'),
  ]);
  return { db: traceSqlStatements(db, { tracer, system: DB_SYSTEM.sqlite }), instrument: toolCallSpans(tracer, transport) };
}
