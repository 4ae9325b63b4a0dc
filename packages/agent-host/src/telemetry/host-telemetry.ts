import type { Meter, Tracer } from '@opentelemetry/api';
import { createGenAiMetrics } from '@algorhythm/telemetry';
import type { Telemetry } from '@algorhythm/telemetry/setup';
import type { MiddlewareHandler } from 'hono';
import type { McpConnection, McpConnectionOptions } from '../mcp/mcp-connection.ts';
import type { ToolSource } from '../mcp/types.ts';
import type { ChatModel } from '../model/types.ts';
import type { Store } from '../store/types.ts';
import type { Role } from '../turns/deps.ts';
import type { AgentTracing } from './agent-tracing.ts';
import { traceApprovalExpiry } from './approval-expiry.ts';
import { httpServerSpan } from './http-server-span.ts';
import { createAgentTracing } from './otel-agent-tracing.ts';
import { mcpTracePropagation, traceMcpConnection } from './traced-mcp.ts';
import { traceChatModel } from './traced-model.ts';

/** What the composition root gets from `startTelemetry` (main.ts) to instrument the host. */
export interface HostTelemetry {
  tracer: Tracer;
  meter: Meter;
  /** OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (`captureContentEnabled`). */
  captureContent: boolean;
  /** Tracers for the MCP services the host runs in-process (`Telemetry.serviceTracer`); absent: they make no spans. */
  serviceTracer?: (serviceName: string, serviceVersion: string) => Tracer;
}

/** The host's telemetry from the process's `startTelemetry` (main.ts, and tests that export). */
export function hostTelemetryOf(
  telemetry: Pick<Telemetry, 'tracer' | 'meter' | 'exporting' | 'serviceTracer'>,
  captureContent: boolean,
): HostTelemetry {
  const { tracer, meter } = telemetry;
  return { tracer, meter, captureContent, ...(telemetry.exporting.traces ? { serviceTracer: telemetry.serviceTracer } : {}) };
}

/** Every decorator the composition root applies, built from one tracer and meter. */
export interface HostInstrumentation {
  model(model: ChatModel): ChatModel;
  /** Options for createMcpConnection: trace context in `_meta`, JSON-RPC ids on the span. */
  connectionOptions: Pick<McpConnectionOptions, 'meta' | 'onRequest'>;
  connection(connection: McpConnection, server: ToolSource['server']): McpConnection;
  tracing(models: Partial<Record<Role, ChatModel>>): AgentTracing;
  store(store: Store, tracing: AgentTracing): Store;
  httpMiddleware: MiddlewareHandler;
}

export function instrumentHost(telemetry: HostTelemetry): HostInstrumentation {
  const { tracer } = telemetry;
  const metrics = createGenAiMetrics(telemetry.meter);
  return {
    model: (model) => traceChatModel(model, { tracer, metrics, captureContent: telemetry.captureContent }),
    connectionOptions: mcpTracePropagation(),
    connection: (connection, server) => traceMcpConnection(connection, { tracer, server }),
    tracing: (models) => createAgentTracing({ tracer, models }),
    store: traceApprovalExpiry,
    // Not the traces page's own polling: it would fill the list it reads with itself.
    httpMiddleware: httpServerSpan({ tracer, include: (path) => path.startsWith('/api/') && !path.startsWith('/api/admin/traces') }),
  };
}
