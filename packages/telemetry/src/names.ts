/**
 * Every span name, attribute key, metric name and well-known value this project emits: the single
 * source of names. The Grafana dashboard's queries are checked against this module
 * (`dashboard.test.ts`), so a panel can only query what the code writes.
 *
 * GenAI and MCP names follow the OpenTelemetry GenAI semantic conventions
 * (https://github.com/open-telemetry/semantic-conventions-genai, docs/gen-ai/gen-ai-spans.md,
 * gen-ai-agent-spans.md, gen-ai-metrics.md, mcp.md). `@opentelemetry/semantic-conventions/incubating`
 * has the same strings but marks them deprecated since the GenAI conventions moved repository, so we
 * keep our own copy of the few we use.
 *
 * Our own additions live under `algorhythm.*` and are documented where declared.
 */

/**
 * Span name templates, `{attribute}` standing for that attribute's value. The `spanName` builders
 * below produce them; the dashboard check matches literal names in queries against these.
 */
export const SPAN_NAME_TEMPLATES = {
  /** HTTP server span (kind SERVER), made by the host's own middleware: `POST /api/chat`. */
  httpServer: '{http.request.method} {http.route}',
  /** An agent run (kind INTERNAL, agents run in-process): `invoke_agent supervisor`. */
  invokeAgent: 'invoke_agent {gen_ai.agent.name}',
  /** One model call (kind CLIENT): `chat gpt-4o-mini`. */
  chat: 'chat {gen_ai.request.model}',
  /**
   * One tool call on the host (kind CLIENT: it is an MCP request to another process). Carries the
   * MCP client attributes too, as mcp.md asks when GenAI instrumentation already traces the call.
   */
  executeTool: 'execute_tool {gen_ai.tool.name}',
  /** The MCP server's span for a request (kind SERVER): `tools/call get_albums_by_artist`. */
  mcpServer: '{mcp.method.name} {gen_ai.tool.name}',
  /** A database call inside an MCP server (kind CLIENT): `SELECT Album`. */
  db: '{db.operation.name} {db.collection.name}',
  /** A refund approval was requested (short INTERNAL span; the wait is not a span). */
  requestApproval: 'request_approval',
  /** A human decided an approval (short INTERNAL span, linked to the requesting trace). */
  decideApproval: 'decide_approval',
} as const;

export const spanName = {
  httpServer: (method: string, route: string): string => `${method} ${route}`,
  invokeAgent: (agentName: string): string => `invoke_agent ${agentName}`,
  chat: (requestModel: string): string => `chat ${requestModel}`,
  executeTool: (toolName: string): string => `execute_tool ${toolName}`,
  /** Without a low-cardinality target the span name is the method alone (mcp.md). */
  mcpServer: (method: string, target?: string): string => (target ? `${method} ${target}` : method),
  db: (operation: string, collection?: string): string => (collection ? `${operation} ${collection}` : operation),
  requestApproval: (): string => SPAN_NAME_TEMPLATES.requestApproval,
  decideApproval: (): string => SPAN_NAME_TEMPLATES.decideApproval,
} as const;

/** Span attribute keys. */
export const ATTR = {
  // --- GenAI (gen-ai-spans.md, gen-ai-agent-spans.md) ---
  genAiOperationName: 'gen_ai.operation.name',
  genAiProviderName: 'gen_ai.provider.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiRequestMaxTokens: 'gen_ai.request.max_tokens',
  genAiRequestTemperature: 'gen_ai.request.temperature',
  genAiRequestStream: 'gen_ai.request.stream',
  genAiResponseModel: 'gen_ai.response.model',
  genAiResponseId: 'gen_ai.response.id',
  genAiResponseFinishReasons: 'gen_ai.response.finish_reasons',
  /** Seconds from request to first streamed chunk. */
  genAiResponseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  /** Includes cached tokens (read and written), as the conventions define it. */
  genAiUsageInputTokens: 'gen_ai.usage.input_tokens',
  genAiUsageOutputTokens: 'gen_ai.usage.output_tokens',
  genAiUsageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  genAiUsageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  genAiConversationId: 'gen_ai.conversation.id',
  /**
   * On `invoke_agent` spans, and also stamped on the `chat` and `execute_tool` spans an agent makes,
   * so tokens and cost can be grouped by agent without structural queries.
   */
  genAiAgentName: 'gen_ai.agent.name',
  genAiToolName: 'gen_ai.tool.name',
  genAiToolCallId: 'gen_ai.tool.call.id',
  genAiToolType: 'gen_ai.tool.type',
  /** Opt-in content (see content.ts): JSON strings, each under 2 KB. */
  genAiInputMessages: 'gen_ai.input.messages',
  genAiOutputMessages: 'gen_ai.output.messages',
  genAiSystemInstructions: 'gen_ai.system_instructions',
  /** Metric attribute only. */
  genAiTokenType: 'gen_ai.token.type',

  // --- MCP and JSON-RPC (mcp.md) ---
  mcpMethodName: 'mcp.method.name',
  mcpProtocolVersion: 'mcp.protocol.version',
  /** Only where a 2025-era session exists (Streamable HTTP `Mcp-Session-Id`); never for stdio. */
  mcpSessionId: 'mcp.session.id',
  jsonrpcRequestId: 'jsonrpc.request.id',
  rpcResponseStatusCode: 'rpc.response.status_code',

  // --- General ---
  /** Low-cardinality failure class: a ModelError kind, `tool_error`, an HTTP status, `_OTHER`. */
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  networkTransport: 'network.transport',
  networkProtocolName: 'network.protocol.name',
  httpRequestMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  urlPath: 'url.path',
  dbSystemName: 'db.system.name',
  dbOperationName: 'db.operation.name',
  dbCollectionName: 'db.collection.name',
  dbQuerySummary: 'db.query.summary',
  dbResponseReturnedRows: 'db.response.returned_rows',

  // --- Ours ---
  /** Supervisor's route decision (a specialist's agent name), on `invoke_agent supervisor`. */
  algorhythmRouteDecision: 'algorhythm.route.decision',
  /**
   * Estimated cost of one model call in USD (double), on `chat` spans; from prices.json, an
   * estimate, absent when the model is not in the price table.
   */
  algorhythmCostUsd: 'algorhythm.cost.usd',
  /** Which MCP server a tool lives on (`catalog` | `support`), on `execute_tool` spans. */
  algorhythmMcpServer: 'algorhythm.mcp.server',
  /** Approval id, on both approval spans (and on the `execute_tool` span that raised it). */
  algorhythmApprovalId: 'algorhythm.approval.id',
  /** `accepted` | `declined` | `cancelled` | `expired`, on `decide_approval`. */
  algorhythmApprovalOutcome: 'algorhythm.approval.outcome',
  /** Seconds between request and decision (double), on `decide_approval`. */
  algorhythmApprovalWaitDuration: 'algorhythm.approval.wait.duration',
  /**
   * Which abuse limit refused a request (a `LIMIT` value): on the request's SERVER span, on its
   * `algorhythm.limit.hit` event, and on the `algorhythm.limit.hits` counter.
   */
  algorhythmLimitName: 'algorhythm.limit.name',
  /** Seconds until the refused request may be retried (the `Retry-After` sent), on the `algorhythm.limit.hit` event. */
  algorhythmLimitRetryAfter: 'algorhythm.limit.retry_after',
} as const;

/** Span event names. */
export const SPAN_EVENT = {
  /** A request refused by an abuse limit (429), on the request's SERVER span. */
  limitHit: 'algorhythm.limit.hit',
} as const;

/** Resource attribute keys (set by setup.ts from the standard variables). */
export const RESOURCE_ATTR = {
  serviceName: 'service.name',
  serviceNamespace: 'service.namespace',
  serviceVersion: 'service.version',
  serviceInstanceId: 'service.instance.id',
  deploymentEnvironmentName: 'deployment.environment.name',
} as const;

/** Metric names (gen-ai-metrics.md). */
export const METRIC = {
  /** Histogram, `{token}`, one record per token type per call. */
  genAiClientTokenUsage: 'gen_ai.client.token.usage',
  /** Histogram, seconds, one record per call (with `error.type` when it failed). */
  genAiClientOperationDuration: 'gen_ai.client.operation.duration',
  /** Counter, `{request}`: requests refused by an abuse limit, by `algorhythm.limit.name`. */
  algorhythmLimitHits: 'algorhythm.limit.hits',
} as const;

// --- Well-known values ---

export const GEN_AI_OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
} as const;

/** `gen_ai.provider.name`: the conventions' values, plus our local `offline` and test `scripted`. */
export const GEN_AI_PROVIDER = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  deepseek: 'deepseek',
  offline: 'offline',
  scripted: 'scripted',
} as const;

export const GEN_AI_TOKEN_TYPE = { input: 'input', output: 'output' } as const;

/** MCP tools run by our own client on the model's behalf: `function` in the conventions' terms. */
export const GEN_AI_TOOL_TYPE = { function: 'function', extension: 'extension', datastore: 'datastore' } as const;

export const AGENT = {
  supervisor: 'supervisor',
  musicExpert: 'music_expert',
  supportRep: 'support_rep',
} as const;

/** `algorhythm.route.decision` values: the specialist the supervisor routed to. */
export const ROUTE = { musicExpert: AGENT.musicExpert, supportRep: AGENT.supportRep } as const;

export const MCP_METHOD = {
  initialize: 'initialize',
  toolsList: 'tools/list',
  toolsCall: 'tools/call',
} as const;

/** `network.transport`: stdio is `pipe`, Streamable HTTP is `tcp` (mcp.md); a service inside the caller's process `inproc`. */
export const NETWORK_TRANSPORT = { pipe: 'pipe', tcp: 'tcp', inproc: 'inproc' } as const;

export const ERROR_TYPE = {
  /** A `CallToolResult` with `isError: true` (mcp.md). */
  toolError: 'tool_error',
  /** Fallback when nothing better is known. */
  other: '_OTHER',
} as const;

/** The admin's elicitation action (accepted, declined, cancelled), or expired: the approval statuses of the host. */
export const APPROVAL_OUTCOME = { accepted: 'accepted', declined: 'declined', cancelled: 'cancelled', expired: 'expired' } as const;

export const MCP_SERVER = { catalog: 'catalog', support: 'support' } as const;

export const DB_SYSTEM = { sqlite: 'sqlite' } as const;

/** `algorhythm.limit.name`: the abuse limits of the host (agent-host/src/limits/). */
export const LIMIT = {
  messagesPerCustomer: 'messages_per_customer',
  messagesPerIp: 'messages_per_ip',
  signInsPerIp: 'sign_ins_per_ip',
  signInsPerCustomer: 'sign_ins_per_customer',
  dailyBudget: 'daily_budget',
} as const;

/** `service.name` of each process; OTEL_SERVICE_NAME overrides it (see setup.ts). */
export const SERVICE = {
  agentHost: 'algorhythm-agent-host',
  catalogMcp: 'algorhythm-catalog-mcp',
  supportMcp: 'algorhythm-support-mcp',
} as const;

/** Attributes with a closed set of values: the dashboard check also verifies the values it compares. */
export const KNOWN_VALUES: Readonly<Record<string, readonly string[]>> = {
  [ATTR.genAiOperationName]: Object.values(GEN_AI_OPERATION),
  [ATTR.genAiProviderName]: Object.values(GEN_AI_PROVIDER),
  [ATTR.genAiTokenType]: Object.values(GEN_AI_TOKEN_TYPE),
  [ATTR.genAiToolType]: Object.values(GEN_AI_TOOL_TYPE),
  [ATTR.genAiAgentName]: Object.values(AGENT),
  [ATTR.algorhythmRouteDecision]: Object.values(ROUTE),
  [ATTR.mcpMethodName]: Object.values(MCP_METHOD),
  [ATTR.networkTransport]: Object.values(NETWORK_TRANSPORT),
  [ATTR.algorhythmApprovalOutcome]: Object.values(APPROVAL_OUTCOME),
  [ATTR.algorhythmMcpServer]: Object.values(MCP_SERVER),
  [ATTR.dbSystemName]: Object.values(DB_SYSTEM),
  [ATTR.algorhythmLimitName]: Object.values(LIMIT),
  [RESOURCE_ATTR.serviceName]: Object.values(SERVICE),
};
