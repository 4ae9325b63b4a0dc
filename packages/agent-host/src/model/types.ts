/**
 * The provider-agnostic chat model contract. Loops, the supervisor and telemetry know only this file;
 * each vendor adapter maps to and from it. Modelled on the Vercel AI SDK language-model spec, trimmed
 * to what this product uses.
 */

/** Providers, named as OpenTelemetry's `gen_ai.provider.name` values where one exists. */
export type ProviderName = 'openai' | 'deepseek' | 'anthropic' | 'gcp.gemini' | 'offline' | 'scripted';

export type JsonSchema = Record<string, unknown>;

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  /** Provider-issued call id; tool results must echo it. */
  id: string;
  name: string;
  /** Parsed JSON arguments. */
  arguments: Record<string, unknown>;
  /**
   * Opaque vendor data that must be sent back with this call on the next request (Gemini 3's
   * `thoughtSignature`). Keep it when storing the part; adapters of other vendors ignore it.
   */
  providerMetadata?: ProviderMetadata;
}

/** Opaque per-vendor data keyed by vendor, e.g. `{ gemini: { thoughtSignature: '…' } }`. */
export type ProviderMetadata = Record<string, Record<string, unknown>>;

export interface ToolResultPart {
  type: 'tool-result';
  callId: string;
  name: string;
  /** What the model reads: the tool's text content. */
  output: string;
  /** The tool's structuredContent, when it has one (the offline model reads this, vendors never see it). */
  structured?: unknown;
  isError?: boolean;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: Array<TextPart | ToolCallPart> }
  | { role: 'tool'; content: ToolResultPart[] };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object, as MCP `tools/list` gives it. */
  inputSchema: JsonSchema;
}

export type ToolChoice = 'auto' | 'required' | 'none' | { type: 'tool'; name: string };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export type UnifiedFinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'error' | 'other';

/** Normalized reason plus the vendor's raw value, kept for telemetry (`gen_ai.response.finish_reasons`). */
export interface FinishReason {
  reason: UnifiedFinishReason;
  raw: string | undefined;
}

/**
 * Token usage. `inputTokens` includes cached tokens (read and written), as the OpenTelemetry GenAI
 * conventions define `gen_ai.usage.input_tokens`; the cache counts are broken out beside it.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ChatResponse {
  id: string | undefined;
  /** The model that answered, as the vendor reports it. */
  model: string;
  content: Array<TextPart | ToolCallPart>;
  finish: FinishReason;
  usage: Usage;
  /** Settings the provider ignored (e.g. temperature on a reasoning model); never thrown. */
  warnings: string[];
}

export type StreamEvent =
  | { type: 'response-start'; id: string | undefined; model: string }
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  | {
      type: 'tool-call-end';
      id: string;
      name: string;
      arguments: Record<string, unknown>;
      /** Copy onto the stored ToolCallPart (see ToolCallPart.providerMetadata). */
      providerMetadata?: ProviderMetadata;
    }
  | { type: 'finish'; id: string | undefined; model: string; finish: FinishReason; usage: Usage; warnings: string[] };

export interface ChatModel {
  readonly provider: ProviderName;
  /** The requested model name (`gen_ai.request.model`). */
  readonly modelId: string;
  /** Where the vendor endpoint lives, for `server.address`/`server.port`; absent for local models. */
  readonly endpoint?: { address: string; port: number };
  /** Human-readable name for the UI and logs, e.g. 'offline demo model' or 'gpt-4o-mini (openai)'. */
  readonly displayName?: string;
  generate(request: ChatRequest): Promise<ChatResponse>;
  stream(request: ChatRequest): AsyncIterable<StreamEvent>;
}

export type ModelErrorKind =
  | 'rate_limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'bad_request'
  | 'bad_response'
  | 'aborted';

/** Every provider failure surfaces as this one error type. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly provider: ProviderName;
  readonly kind: ModelErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** The vendor's `retry-after`, in milliseconds, when it sent one (useful for "try again in N s"). */
  readonly retryAfterMs: number | undefined;
  /** How many attempts were made before giving up (1 when it was not retried). */
  readonly attempts: number;

  constructor(options: {
    provider: ProviderName;
    kind: ModelErrorKind;
    message: string;
    status?: number;
    retryable?: boolean;
    retryAfterMs?: number;
    attempts?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? 1;
  }
}
