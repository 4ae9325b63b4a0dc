import type { ChatMessage, ChatModel, ToolCallPart, ToolDefinition, ToolResultPart, Usage } from '../model/types.ts';
import type { PendingInput, ToolSource } from '../mcp/types.ts';
import { describeToolCall } from './tool-phrases.ts';

export type LoopEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool'; name: string; status: 'started' | 'done' | 'error'; summary: string };

/** What a specialist loop ended with: the tagged next step the turn runner switches on. */
export type LoopStep =
  | { type: 'final'; text: string; messages: ChatMessage[] }
  | { type: 'approval'; call: ToolCallPart; input: PendingInput; text: string; messages: ChatMessage[] }
  /** Out of steps: `messages` end with the notice that says so. */
  | { type: 'limit'; text: string; messages: ChatMessage[] };

export interface LoopOptions {
  model: ChatModel;
  system: string;
  tools: ToolSource;
  /** The conversation so far, ending with what the loop should answer. */
  history: ChatMessage[];
  maxSteps: number;
  emit: (event: LoopEvent) => void;
  /** Whether model calls stream (their text emitted as it comes); else each answer is one call and one delta. */
  streamed?: boolean;
  signal?: AbortSignal;
  /** Called after every model call (telemetry, cost). */
  onModelCall?: (info: { usage: Usage }) => void;
}

export const pendingResultText = (input: PendingInput) =>
  `Waiting for a store admin's approval: ${input.message}`;

/** Model → tool calls (in parallel) → tool results → model, until a final answer, an approval or the limit. */
export async function runSpecialist(options: LoopOptions): Promise<LoopStep> {
  const { model, tools, emit } = options;
  const definitions = await tools.listTools();
  const added: ChatMessage[] = [];
  const texts: string[] = [];

  for (let step = 0; step < options.maxSteps; step++) {
    const modelStep = options.streamed === false ? wholeStep : streamStep;
    const { text, calls } = await modelStep(options, definitions, [...options.history, ...added], texts.length > 0);
    if (text) texts.push(text);
    const content = [...(text ? [{ type: 'text' as const, text }] : []), ...calls];
    if (content.length > 0) added.push({ role: 'assistant', content });
    if (calls.length === 0) return { type: 'final', text: texts.join('\n\n'), messages: added };

    const outcomes = await Promise.all(
      calls.map(async (call) => {
        const summary = describeToolCall(call.name, call.arguments);
        emit({ type: 'tool', name: call.name, status: 'started', summary });
        const outcome = await tools.callTool(call, options.signal ? { signal: options.signal } : {});
        const failed = outcome.type === 'result' && outcome.result.isError === true;
        emit({ type: 'tool', name: call.name, status: failed ? 'error' : 'done', summary });
        return { call, outcome };
      }),
    );

    const results: ToolResultPart[] = outcomes.map(({ call, outcome }) =>
      outcome.type === 'result'
        ? outcome.result
        : {
            type: 'tool-result',
            callId: call.id,
            name: call.name,
            output: pendingResultText(outcome.input),
            structured: { status: 'pending_approval' },
          },
    );
    added.push({ role: 'tool', content: results });

    const pending = outcomes.find(({ outcome }) => outcome.type === 'input_required');
    if (pending && pending.outcome.type === 'input_required') {
      return { type: 'approval', call: pending.call, input: pending.outcome.input, text: texts.join('\n\n'), messages: added };
    }
  }
  // The notice is part of the answer: streamed, and stored with the rest of the step.
  const notice = `I couldn't finish this within ${options.maxSteps} steps. Could you ask in a simpler way?`;
  emit({ type: 'delta', text: texts.length > 0 ? `\n\n${notice}` : notice });
  added.push({ role: 'assistant', content: [{ type: 'text', text: notice }] });
  return { type: 'limit', text: [...texts, notice].join('\n\n'), messages: added };
}

/** One model call of the loop: its text (emitted as deltas, after a separator when `separate`) and its tool calls. */
type ModelStep = (
  options: LoopOptions,
  tools: ToolDefinition[],
  messages: ChatMessage[],
  separate: boolean,
) => Promise<{ text: string; calls: ToolCallPart[] }>;

/** One model call answered in one piece: the same request, its text emitted as one delta. */
const wholeStep: ModelStep = async (options, tools, messages, separate) => {
  const response = await options.model.generate(modelRequest(options, tools, messages));
  options.onModelCall?.({ usage: response.usage });
  const text = response.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  if (text) options.emit({ type: 'delta', text: separate ? `\n\n${text}` : text });
  return { text, calls: response.content.filter((part): part is ToolCallPart => part.type === 'tool-call') };
};

const modelRequest = (options: LoopOptions, tools: ToolDefinition[], messages: ChatMessage[]) => ({
  messages: [{ role: 'system' as const, content: options.system }, ...messages],
  tools,
  toolChoice: 'auto' as const,
  ...(options.signal ? { signal: options.signal } : {}),
});

const streamStep: ModelStep = async (options, tools, messages, separate) => {
  let text = '';
  const calls: ToolCallPart[] = [];
  const stream = options.model.stream(modelRequest(options, tools, messages));
  for await (const event of stream) {
    switch (event.type) {
      case 'text-delta':
        if (!text && separate) options.emit({ type: 'delta', text: '\n\n' });
        text += event.delta;
        options.emit({ type: 'delta', text: event.delta });
        break;
      case 'tool-call-end':
        calls.push({
          type: 'tool-call',
          id: event.id,
          name: event.name,
          arguments: event.arguments,
          // Gemini wants its thought signature back with the call it belongs to.
          ...(event.providerMetadata ? { providerMetadata: event.providerMetadata } : {}),
        });
        break;
      case 'finish':
        options.onModelCall?.({ usage: event.usage });
        break;
      default:
        break;
    }
  }
  return { text, calls };
};
