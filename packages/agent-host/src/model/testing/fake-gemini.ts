import { splitWords } from './fake-server.ts';
import type { SseEvent } from './fake-server.ts';
import { startVendorFake } from './vendor-fake.ts';
import type { FakeTurn, VendorFake, VendorWire } from './vendor-fake.ts';

/**
 * A fake Gemini API server: `POST /{version}/models/{model}:generateContent` (JSON) and
 * `:streamGenerateContent?alt=sse` (SSE `data:` chunks, each a partial GenerateContentResponse whose
 * usage is the running total). Function calls arrive whole; ids only when the turn gives one.
 * https://ai.google.dev/api/generate-content
 */
export function startFakeGemini(): Promise<VendorFake> {
  return startVendorFake(geminiWire);
}

const modelOf = (turn: FakeTurn, path: string) => turn.model ?? /models\/([^:]+):/.exec(path)?.[1] ?? 'gemini-fake';

function usageOf(turn: FakeTurn) {
  const prompt = turn.usage?.input ?? 20;
  const output = turn.usage?.output ?? 5;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: output,
    totalTokenCount: prompt + output,
    ...(turn.usage?.cacheRead ? { cachedContentTokenCount: turn.usage.cacheRead } : {}),
  };
}

function callParts(turn: FakeTurn) {
  return (turn.toolCalls ?? []).map((call) => ({
    functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.arguments },
    ...(call.thoughtSignature ? { thoughtSignature: call.thoughtSignature } : {}),
  }));
}

export const geminiWire: VendorWire = {
  isStreamRequest: (request) => request.path.endsWith(':streamGenerateContent'),

  json: (turn, request) => ({
    candidates: [
      {
        content: { role: 'model', parts: [...(turn.text ? [{ text: turn.text }] : []), ...callParts(turn)] },
        finishReason: turn.finishReason ?? 'STOP',
        index: 0,
      },
    ],
    usageMetadata: usageOf(turn),
    modelVersion: modelOf(turn, request.path),
    responseId: turn.id ?? 'resp-fake',
  }),

  events: (turn, request) => {
    const base = { modelVersion: modelOf(turn, request.path), responseId: turn.id ?? 'resp-fake' };
    const usage = usageOf(turn);
    const chunk = (parts: unknown[], extra: Record<string, unknown> = {}, last = false): SseEvent => ({
      data: {
        candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }],
        usageMetadata: last ? usage : { promptTokenCount: usage.promptTokenCount },
        ...base,
      },
    });
    const events = splitWords(turn.text ?? '').map((word) => chunk([{ text: word }]));
    const calls = callParts(turn);
    // Parallel calls travel together in one chunk, as Gemini sends them.
    if (calls.length) events.push(chunk(calls));
    events.push(chunk([], { finishReason: turn.finishReason ?? 'STOP' }, true));
    return events;
  },

  errorBody: (status, message) => ({
    error: {
      code: status,
      message,
      status: status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT',
    },
  }),

  malformedEvents: (turn, request) => {
    const [first] = geminiWire.events(turn, request);
    return [first!, { data: '{"candidates":[{"content":{"parts":[{"text":"Hel' }];
  },
};
