import { ElicitationSummary, SUMMARY_META_KEY } from '@algorhythm/web/schemas';
import { Client, SdkErrorCode, specTypeSchemas, withInputRequired } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import type { ToolDefinition, ToolResultPart } from '../model/types.ts';
import type { CallOptions, PendingInput, ToolCallOutcome, ToolCallRequest } from './types.ts';

export const PROTOCOL_VERSION = '2026-07-28';

export type McpTransportKind = 'pipe' | 'tcp' | 'inproc';

export interface McpConnectionOptions {
  /** For messages: 'catalog' or 'support'. */
  label: string;
  /** A fresh transport for every (re)connect: a crashed stdio child is simply spawned again. */
  createTransport: () => Transport;
  requestTimeoutMs: number;
  /** Adds `_meta` (trace context) to each request. */
  meta?: () => Record<string, unknown> | undefined;
  /** Sees each JSON-RPC request as it is sent, in the caller's async context (telemetry: `jsonrpc.request.id`). */
  onRequest?: (request: { method: string; id: string | number }) => void;
  /** What `describe()` reports: `pipe` for stdio (the default), `tcp` for Streamable HTTP, `inproc` in the host itself. */
  transport?: McpTransportKind;
}

interface Live {
  client: Client;
  tools: Promise<ToolDefinition[]>;
  /** Tools the server annotates `readOnlyHint: true`: safe to ask again. */
  readOnly: Promise<ReadonlySet<string>>;
}

const connectionClosed = (error: unknown) => (error as { code?: unknown } | null)?.code === SdkErrorCode.ConnectionClosed;

export interface McpConnection {
  listTools(): Promise<ToolDefinition[]>;
  callTool(call: ToolCallRequest, options?: CallOptions): Promise<ToolCallOutcome>;
  ping(): Promise<void>;
  /** The negotiated protocol version and transport, for telemetry. */
  describe(): { protocolVersion: string; transport: McpTransportKind };
  close(): Promise<void>;
}

/** One MCP client that reconnects on demand after its server went away. */
export function createMcpConnection(options: McpConnectionOptions): McpConnection {
  let live: Promise<Live> | undefined;
  let closed = false;

  const connect = (): Promise<Live> => {
    if (closed) return Promise.reject(new Error(`The ${options.label} service is shutting down.`));
    live ??= (async () => {
      const client = new Client(
        { name: 'algorhythm-agent-host', version: '0.1.0' },
        {
          // Declared so the support server may ask for approval; the host collects the answer from an admin later.
          capabilities: { elicitation: { form: {} } },
          versionNegotiation: { mode: { pin: PROTOCOL_VERSION } },
          inputRequired: { autoFulfill: false },
        },
      );
      const transport = observed(options.createTransport(), options.onRequest);
      try {
        await client.connect(transport, { timeout: options.requestTimeoutMs });
      } catch (error) {
        await client.close().catch(() => {});
        throw error;
      }
      client.onclose = () => {
        live = undefined;
      };
      const listed = client.listTools(undefined, { timeout: options.requestTimeoutMs });
      const tools = listed.then((result) =>
        result.tools.map((tool) => ({
          name: tool.name,
          description: tool.description ?? tool.title ?? tool.name,
          inputSchema: tool.inputSchema as Record<string, unknown>,
        })),
      );
      const readOnly = listed.then(
        (result) => new Set(result.tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name)),
        () => new Set<string>(),
      );
      tools.catch(() => {});
      return { client, tools, readOnly };
    })();
    live.catch(() => {
      live = undefined;
    });
    return live;
  };

  return {
    async listTools() {
      return (await connect()).tools;
    },

    async callTool(call, callOptions = {}) {
      const attempt = connect();
      const current = await attempt;
      try {
        return await send(current.client, call, callOptions);
      } catch (error) {
        // The server went away under the call (a crash, or one that died just before and was not noticed yet).
        // A read-only call has no effect to repeat, so a fresh server is asked once; anything else is reported.
        if (!connectionClosed(error) || !(await current.readOnly).has(call.name)) throw error;
        if (live === attempt) live = undefined;
        return send((await connect()).client, call, callOptions);
      }
    },

    async ping() {
      const { client } = await connect();
      // The 2026-07-28 era has no `ping`; `server/discover` is its cheap round trip.
      await client.discover({ timeout: options.requestTimeoutMs });
    },

    describe() {
      return { protocolVersion: PROTOCOL_VERSION, transport: options.transport ?? 'pipe' };
    },

    async close() {
      closed = true;
      const current = live;
      live = undefined;
      if (current) await (await current.catch(() => undefined))?.client.close().catch(() => {});
    },
  };

  async function send(client: Client, call: ToolCallRequest, callOptions: CallOptions): Promise<ToolCallOutcome> {
    const meta = { ...options.meta?.(), ...callOptions.meta };
    const params: Record<string, unknown> = { name: call.name, arguments: call.arguments };
    if (Object.keys(meta).length > 0) params._meta = meta;
    if (callOptions.inputResponses) params.inputResponses = callOptions.inputResponses;
    if (callOptions.requestState !== undefined) params.requestState = callOptions.requestState;
    const raw = (await client.request(
      { method: 'tools/call', params } as never,
      withInputRequired(specTypeSchemas.CallToolResult as never),
      {
        allowInputRequired: true,
        timeout: options.requestTimeoutMs,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      },
    )) as Record<string, unknown>;
    return toOutcome(call, raw);
  }
}

function observed(transport: Transport, onRequest: McpConnectionOptions['onRequest']): Transport {
  if (!onRequest) return transport;
  const send = transport.send.bind(transport);
  transport.send = (message, sendOptions) => {
    if ('method' in message && 'id' in message) onRequest({ method: message.method, id: message.id });
    return send(message, sendOptions);
  };
  return transport;
}

function toOutcome(call: ToolCallRequest, raw: Record<string, unknown>): ToolCallOutcome {
  if (raw.resultType === 'input_required') return { type: 'input_required', input: pendingInputOf(raw) };
  const content = Array.isArray(raw.content) ? (raw.content as Array<{ type: string; text?: string }>) : [];
  const text = content.flatMap((block) => (block.type === 'text' && block.text ? [block.text] : [])).join('\n');
  const result: ToolResultPart = {
    type: 'tool-result',
    callId: call.id,
    name: call.name,
    output: text || (raw.structuredContent ? JSON.stringify(raw.structuredContent) : ''),
    ...(raw.structuredContent !== undefined ? { structured: raw.structuredContent } : {}),
    ...(raw.isError === true ? { isError: true } : {}),
  };
  return { type: 'result', result };
}

function pendingInputOf(raw: Record<string, unknown>): PendingInput {
  const requests = (raw.inputRequests ?? {}) as Record<string, { method?: string; params?: Record<string, unknown> }>;
  const entry = Object.entries(requests).find(([, request]) => request.method === 'elicitation/create');
  if (!entry || typeof raw.requestState !== 'string') {
    throw new Error('The server asked for input this host cannot collect (no form elicitation with request state).');
  }
  const [inputKey, request] = entry;
  return {
    inputKey,
    message: String(request.params?.message ?? ''),
    requestedSchema: (request.params?.requestedSchema ?? {}) as Record<string, unknown>,
    summary: summaryOf(request.params?._meta),
    requestState: raw.requestState,
  };
}

function summaryOf(meta: unknown): ElicitationSummary | null {
  const value = (meta as Record<string, unknown> | undefined)?.[SUMMARY_META_KEY];
  const parsed = ElicitationSummary.safeParse(value);
  return parsed.success ? parsed.data : null;
}
