// Deterministic models for the benchmarks, on the host's own ChatModel interface: the supervisor routes by
// keyword, a specialist asks for two tools at once (two real MCP calls), then answers from the results.
// `latencyMs` is slept before every model call (0 = a zero-latency model: what remains is host overhead).
import type { ChatModel, ChatRequest, ChatResponse, StreamEvent, ToolCallPart, ToolResultPart } from '../../packages/agent-host/src/model/types.ts';

export type BenchRole = 'supervisor' | 'music_expert' | 'support_rep';

/** The two tool calls each specialist makes in one step. */
export const BENCH_TOOL_CALLS: Record<Exclude<BenchRole, 'supervisor'>, Array<{ name: string; arguments: Record<string, unknown> }>> = {
  music_expert: [
    { name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } },
    { name: 'list_genres', arguments: {} },
  ],
  support_rep: [
    { name: 'get_customer_profile', arguments: {} },
    { name: 'get_invoice', arguments: {} },
  ],
};

export const routeFor = (text: string): 'music_expert' | 'support_rep' => (/album|genre|song|artist/i.test(text) ? 'music_expert' : 'support_rep');

const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
const wait = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

function lastUserText(request: ChatRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  return user?.role === 'user' ? user.content : '';
}

/** What a specialist answers now: tool calls for a fresh question, a short text once results are in. */
export function specialistAnswer(role: Exclude<BenchRole, 'supervisor'>, request: ChatRequest, callIds: () => string): Array<{ type: 'text'; text: string } | ToolCallPart> {
  const last = request.messages.at(-1);
  if (last?.role === 'tool') {
    const results = last.content as ToolResultPart[];
    return [{ type: 'text', text: `Here is what I found: ${results.map((r) => r.output.slice(0, 80)).join(' / ')}` }];
  }
  return BENCH_TOOL_CALLS[role].map((call) => ({ type: 'tool-call' as const, id: callIds(), ...call }));
}

export function createBenchModel(role: BenchRole, latencyMs: number): ChatModel {
  let counter = 0;
  const ids = () => `bench-${role}-${++counter}`;
  const respond = (request: ChatRequest): ChatResponse => {
    const content =
      role === 'supervisor'
        ? [{ type: 'tool-call' as const, id: ids(), name: 'route', arguments: { agent: routeFor(lastUserText(request)), reason: 'bench' } }]
        : specialistAnswer(role, request, ids);
    const calls = content.some((part) => part.type === 'tool-call');
    return {
      id: ids(),
      model: 'bench',
      content,
      finish: calls ? { reason: 'tool-calls', raw: 'tool_calls' } : { reason: 'stop', raw: 'stop' },
      usage,
      warnings: [],
    };
  };
  return {
    provider: 'scripted',
    modelId: `bench-${latencyMs}ms`,
    displayName: `bench model (${latencyMs} ms)`,
    async generate(request) {
      await wait(latencyMs);
      return respond(request);
    },
    async *stream(request): AsyncIterable<StreamEvent> {
      await wait(latencyMs);
      const response = respond(request);
      yield { type: 'response-start', id: response.id, model: response.model };
      for (const part of response.content) {
        if (part.type === 'text') yield { type: 'text-delta', delta: part.text };
        else {
          yield { type: 'tool-call-start', id: part.id, name: part.name };
          yield { type: 'tool-call-end', id: part.id, name: part.name, arguments: part.arguments };
        }
      }
      yield { type: 'finish', id: response.id, model: response.model, finish: response.finish, usage, warnings: [] };
    },
  };
}

export function createBenchModels(latencyMs: number): Record<BenchRole, ChatModel> {
  return {
    supervisor: createBenchModel('supervisor', latencyMs),
    music_expert: createBenchModel('music_expert', latencyMs),
    support_rep: createBenchModel('support_rep', latencyMs),
  };
}
