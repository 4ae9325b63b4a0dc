import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR, createGenAiMetrics, SERVICE } from '@algorhythm/telemetry';
import type { Telemetry } from '@algorhythm/telemetry/setup';
import type { OtlpReceiver } from '@algorhythm/telemetry/testing/otlp-receiver';
import { startTestTelemetry, type TestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScriptedModel, ModelError } from '../model/index.ts';
import type { ChatModel, ChatRequest, StreamEvent } from '../model/types.ts';
import { withAgentScope } from './agent-scope.ts';
import { traceChatModel } from './traced-model.ts';

let testTelemetry: TestTelemetry;
let receiver: OtlpReceiver;
let telemetry: Telemetry;

beforeAll(async () => {
  testTelemetry = await startTestTelemetry(SERVICE.agentHost);
  ({ receiver, telemetry } = testTelemetry);
});
afterAll(() => testTelemetry.close());
beforeEach(() => receiver.clear());

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Any Queen albums?' },
  ],
  tools: [{ name: 'get_albums_by_artist', description: 'Albums by artist', inputSchema: { type: 'object', properties: {} } }],
};

function traced(model: ChatModel, captureContent = false): ChatModel {
  return traceChatModel(model, { tracer: telemetry.tracer, metrics: createGenAiMetrics(telemetry.meter), captureContent });
}

async function exported(name: string) {
  await telemetry.forceFlush();
  const spans = await receiver.waitFor((s) => s.some((x) => x.name === name));
  return spans.filter((s) => s.name === name);
}

const inScope = <T>(fn: () => Promise<T>) =>
  context.with(withAgentScope({ agentName: 'support_rep', conversationId: 'c-1' }), fn);

describe('traceChatModel', () => {
  it('generate: a CLIENT span with request and response attributes, agent and conversation from the context', async () => {
    const model = traced(createScriptedModel([{ text: 'Yes.', usage: { inputTokens: 120, outputTokens: 3, cacheReadTokens: 100 } }], { modelId: 'gpt-4o-mini' }));
    await inScope(() => model.generate({ ...request, maxOutputTokens: 50, temperature: 0 }));
    const [span] = await exported('chat gpt-4o-mini');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toMatchObject({
      [ATTR.genAiOperationName]: 'chat',
      [ATTR.genAiProviderName]: 'scripted',
      [ATTR.genAiRequestModel]: 'gpt-4o-mini',
      [ATTR.genAiResponseModel]: 'gpt-4o-mini',
      [ATTR.genAiResponseId]: 'scripted-1',
      [ATTR.genAiResponseFinishReasons]: ['stop'],
      [ATTR.genAiUsageInputTokens]: 120,
      [ATTR.genAiUsageOutputTokens]: 3,
      [ATTR.genAiUsageCacheReadInputTokens]: 100,
      [ATTR.genAiRequestStream]: false,
      [ATTR.genAiRequestMaxTokens]: 50,
      [ATTR.genAiRequestTemperature]: 0,
      [ATTR.genAiAgentName]: 'support_rep',
      [ATTR.genAiConversationId]: 'c-1',
      [ATTR.algorhythmCostUsd]: expect.any(Number),
    });
    expect(span!.attributes).not.toHaveProperty(ATTR.genAiInputMessages);
    expect(JSON.stringify(span!.attributes)).not.toContain('get_albums_by_artist'); // no tool schemas
  });

  it('stream: ends when the stream does, with time to first chunk; content when opted in', async () => {
    const model = traced(createScriptedModel([{ text: 'We have two Queen albums.', usage: { inputTokens: 40, outputTokens: 6 } }]), true);
    let text = '';
    for await (const event of model.stream(request)) if (event.type === 'text-delta') text += event.delta;
    expect(text).toBe('We have two Queen albums.');
    const [span] = await exported('chat scripted');
    expect(span!.attributes).toMatchObject({
      [ATTR.genAiRequestStream]: true,
      [ATTR.genAiUsageInputTokens]: 40,
      [ATTR.genAiResponseTimeToFirstChunk]: expect.any(Number),
      [ATTR.genAiSystemInstructions]: JSON.stringify([{ type: 'text', content: 'You are terse.' }]),
      [ATTR.genAiInputMessages]: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Any Queen albums?' }] }]),
      [ATTR.genAiOutputMessages]: JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'We have two Queen albums.' }], finish_reason: 'stop' },
      ]),
    });
  });

  it('stream: a ModelError mid-stream marks the span with its kind and is rethrown', async () => {
    const failing: ChatModel = {
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      endpoint: { address: 'api.openai.com', port: 443 },
      generate: () => Promise.reject(new Error('unused')),
      async *stream(): AsyncGenerator<StreamEvent> {
        yield { type: 'response-start', id: 'r1', model: 'gpt-4o-mini' };
        throw new ModelError({ provider: 'openai', kind: 'server', status: 503, message: 'upstream overloaded' });
      },
    };
    const consume = async () => {
      for await (const _event of traced(failing).stream(request));
    };
    await expect(consume()).rejects.toThrow('upstream overloaded');
    const [span] = await exported('chat gpt-4o-mini');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream overloaded' });
    expect(span!.attributes).toMatchObject({
      [ATTR.errorType]: 'server',
      [ATTR.serverAddress]: 'api.openai.com',
      [ATTR.serverPort]: 443,
      [ATTR.genAiProviderName]: 'openai',
    });
    expect(span!.attributes).not.toHaveProperty(ATTR.genAiUsageInputTokens);
  });

  it('stream: abandoned by its consumer, the span still ends, without response attributes or an error', async () => {
    const model = traced(createScriptedModel([{ text: 'one two three four five six' }], { modelId: 'abandoned' }));
    for await (const event of model.stream(request)) if (event.type === 'text-delta') break;
    const [span] = await exported('chat abandoned');
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).not.toHaveProperty(ATTR.genAiResponseId);
  });
});
