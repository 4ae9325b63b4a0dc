import type { Attributes } from '@opentelemetry/api';
import { estimateCostUsd } from './cost.ts';
import type { CostUsage } from './cost.ts';
import { ATTR, GEN_AI_OPERATION, GEN_AI_TOOL_TYPE, MCP_METHOD } from './names.ts';

/**
 * Attribute builders for each span kind we emit, so the host and servers spell every key the same
 * way (names.ts). Undefined inputs are left out rather than written as empty values.
 */

export interface ChatRequestInfo {
  provider: string;
  requestModel: string;
  conversationId?: string;
  /** The agent making the call (`supervisor` for routing). */
  agentName?: string;
  stream?: boolean;
  server?: { address: string; port: number };
  maxOutputTokens?: number;
  temperature?: number;
}

/** Start attributes of a `chat {model}` span (kind CLIENT). */
export function chatRequestAttributes(info: ChatRequestInfo): Attributes {
  return compact({
    [ATTR.genAiOperationName]: GEN_AI_OPERATION.chat,
    [ATTR.genAiProviderName]: info.provider,
    [ATTR.genAiRequestModel]: info.requestModel,
    [ATTR.genAiConversationId]: info.conversationId,
    [ATTR.genAiAgentName]: info.agentName,
    [ATTR.genAiRequestStream]: info.stream,
    [ATTR.serverAddress]: info.server?.address,
    [ATTR.serverPort]: info.server?.port,
    [ATTR.genAiRequestMaxTokens]: info.maxOutputTokens,
    [ATTR.genAiRequestTemperature]: info.temperature,
  });
}

export interface ChatResponseInfo {
  id?: string;
  /** The model that answered; also the cost table key (falls back to `requestModel`). */
  model?: string;
  requestModel: string;
  /** Structurally agent-host's `FinishReason`; the raw vendor value is recorded when present. */
  finish?: { reason: string; raw: string | undefined };
  usage?: CostUsage;
  /** Seconds to the first streamed chunk. */
  timeToFirstChunkSeconds?: number;
}

/** End attributes of a `chat` span: response, usage, and the estimated `algorhythm.cost.usd`. */
export function chatResponseAttributes(info: ChatResponseInfo): Attributes {
  const usage = info.usage;
  const cost = usage ? estimateCostUsd(info.model ?? info.requestModel, usage) : undefined;
  return compact({
    [ATTR.genAiResponseId]: info.id,
    [ATTR.genAiResponseModel]: info.model,
    [ATTR.genAiResponseFinishReasons]: info.finish ? [info.finish.raw ?? info.finish.reason] : undefined,
    [ATTR.genAiUsageInputTokens]: usage?.inputTokens,
    [ATTR.genAiUsageOutputTokens]: usage?.outputTokens,
    [ATTR.genAiUsageCacheReadInputTokens]: usage?.cacheReadTokens || undefined,
    [ATTR.genAiUsageCacheCreationInputTokens]: usage?.cacheWriteTokens || undefined,
    [ATTR.genAiResponseTimeToFirstChunk]: info.timeToFirstChunkSeconds,
    [ATTR.algorhythmCostUsd]: cost,
  });
}

/** Attributes of an `invoke_agent {agent}` span (kind INTERNAL). */
export function invokeAgentAttributes(info: {
  agentName: string;
  conversationId?: string;
  provider?: string;
  requestModel?: string;
}): Attributes {
  return compact({
    [ATTR.genAiOperationName]: GEN_AI_OPERATION.invokeAgent,
    [ATTR.genAiAgentName]: info.agentName,
    [ATTR.genAiConversationId]: info.conversationId,
    [ATTR.genAiProviderName]: info.provider,
    [ATTR.genAiRequestModel]: info.requestModel,
  });
}

/** The MCP request facts shared by the client-side and server-side spans. */
export interface McpRequestInfo {
  /** Defaults to `tools/call`. */
  method?: string;
  protocolVersion?: string;
  /** Only for 2025-era sessions (Streamable HTTP); leave undefined for stdio. */
  sessionId?: string;
  /** JSON-RPC id of the request; numbers are recorded as strings. */
  requestId?: string | number;
  /** `pipe` for stdio, `tcp` for HTTP; leave undefined for in-memory transports. */
  transport?: string;
}

/** Attributes of an `execute_tool {tool}` span on the host (kind CLIENT), with the MCP client ones. */
export function executeToolAttributes(info: {
  toolName: string;
  callId?: string;
  toolType?: string;
  agentName?: string;
  conversationId?: string;
  /** `catalog` | `support`. */
  mcpServer?: string;
  mcp?: McpRequestInfo;
}): Attributes {
  return compact({
    [ATTR.genAiOperationName]: GEN_AI_OPERATION.executeTool,
    [ATTR.genAiToolName]: info.toolName,
    [ATTR.genAiToolCallId]: info.callId,
    [ATTR.genAiToolType]: info.toolType ?? GEN_AI_TOOL_TYPE.function,
    [ATTR.genAiAgentName]: info.agentName,
    [ATTR.genAiConversationId]: info.conversationId,
    [ATTR.algorhythmMcpServer]: info.mcpServer,
    ...(info.mcp ? mcpAttributes(info.mcp) : {}),
  });
}

/** Attributes of the MCP server's `tools/call {tool}` span (kind SERVER). */
export function mcpServerAttributes(info: McpRequestInfo & { toolName?: string }): Attributes {
  const method = info.method ?? MCP_METHOD.toolsCall;
  return compact({
    ...mcpAttributes(info),
    [ATTR.genAiToolName]: info.toolName,
    // mcp.md: set execute_tool only when the request is a tool call.
    [ATTR.genAiOperationName]: method === MCP_METHOD.toolsCall ? GEN_AI_OPERATION.executeTool : undefined,
  });
}

function mcpAttributes(info: McpRequestInfo): Attributes {
  return compact({
    [ATTR.mcpMethodName]: info.method ?? MCP_METHOD.toolsCall,
    [ATTR.mcpProtocolVersion]: info.protocolVersion,
    [ATTR.mcpSessionId]: info.sessionId,
    [ATTR.jsonrpcRequestId]: info.requestId === undefined ? undefined : String(info.requestId),
    [ATTR.networkTransport]: info.transport,
  });
}

/** Attributes of a database span in an MCP server (kind CLIENT). */
export function dbAttributes(info: {
  system: string;
  operation: string;
  collection?: string;
  summary?: string;
  returnedRows?: number;
}): Attributes {
  return compact({
    [ATTR.dbSystemName]: info.system,
    [ATTR.dbOperationName]: info.operation,
    [ATTR.dbCollectionName]: info.collection,
    [ATTR.dbQuerySummary]: info.summary,
    [ATTR.dbResponseReturnedRows]: info.returnedRows,
  });
}

/** Attributes of `request_approval` (the approval row is created; nobody waits in a span). */
export function approvalRequestedAttributes(info: {
  approvalId: string;
  toolName: string;
  conversationId?: string;
}): Attributes {
  return compact({
    [ATTR.algorhythmApprovalId]: info.approvalId,
    [ATTR.genAiToolName]: info.toolName,
    [ATTR.genAiConversationId]: info.conversationId,
  });
}

/**
 * Attributes of `decide_approval`. Give that span a link to the requesting span
 * (`linkFromTraceparent` of the traceparent stored with the approval, links.ts).
 */
export function approvalDecidedAttributes(info: {
  approvalId: string;
  toolName: string;
  outcome: string;
  waitSeconds: number;
  conversationId?: string;
}): Attributes {
  return compact({
    [ATTR.algorhythmApprovalId]: info.approvalId,
    [ATTR.genAiToolName]: info.toolName,
    [ATTR.algorhythmApprovalOutcome]: info.outcome,
    [ATTR.algorhythmApprovalWaitDuration]: info.waitSeconds,
    [ATTR.genAiConversationId]: info.conversationId,
  });
}

/** Attributes of the host's HTTP server span (kind SERVER); add the status code at the end. */
export function httpServerAttributes(info: { method: string; route: string; path?: string; status?: number }): Attributes {
  return compact({
    [ATTR.httpRequestMethod]: info.method,
    [ATTR.httpRoute]: info.route,
    [ATTR.urlPath]: info.path,
    [ATTR.httpResponseStatusCode]: info.status,
  });
}

type AttributeInput = Record<string, string | number | boolean | string[] | undefined>;

function compact(input: AttributeInput | Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key] = value;
  return out;
}
