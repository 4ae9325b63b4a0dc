import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR, captureContentEnabled, MAX_CONTENT_BYTES, SERVICE } from '@algorhythm/telemetry';
import type { Telemetry } from '@algorhythm/telemetry/setup';
import type { OtlpReceiver, ReceivedSpan } from '@algorhythm/telemetry/testing/otlp-receiver';
import { startTestTelemetry, type TestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { formatSpanTree } from '@algorhythm/telemetry/testing/span-tree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTelemetryOf } from './host-telemetry.ts';
import type { HostOptions, RunningHost } from '../compose.ts';
import { createOfflineModel, createScriptedModel, ModelError } from '../model/index.ts';
import type { ChatModel, ChatResponse, StreamEvent } from '../model/types.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';

/**
 * Issue 6's done-when: real conversations on the offline model, through real HTTP and the real MCP
 * services (inside the host, its default: each with its own service.name), exported over OTLP to a
 * receiver on 127.0.0.1; the assertions read what was actually sent. The same trace across
 * processes is proven by the last describe, with the services as child processes.
 */

const HOST = SERVICE.agentHost;
const CONTENT_KEYS = [ATTR.genAiInputMessages, ATTR.genAiOutputMessages, ATTR.genAiSystemInstructions];

let testTelemetry: TestTelemetry;
let receiver: OtlpReceiver;
let telemetry: Telemetry;
const cleanups: Array<() => Promise<void> | void> = [];
/** Usage and finish of every offline answer, by response id: what the chat spans must report. */
const answers = new Map<string, Pick<ChatResponse, 'usage' | 'finish' | 'model'>>();
let otelEnv: Record<string, string>;
let main: RunningHost;
let offline: ChatModel;

/** The offline model, remembering each answer (one instance for all roles, so response ids are unique). */
function recordingOffline(): ChatModel {
  const model = createOfflineModel();
  const remember = (r: { id: string | undefined; usage: ChatResponse['usage']; finish: ChatResponse['finish']; model: string }) =>
    answers.set(r.id ?? '', { usage: r.usage, finish: r.finish, model: r.model });
  return {
    ...model,
    async generate(request) {
      const response = await model.generate(request);
      remember(response);
      return response;
    },
    async *stream(request): AsyncGenerator<StreamEvent> {
      for await (const event of model.stream(request)) {
        if (event.type === 'finish') remember(event);
        yield event;
      }
    },
  };
}

async function startHost(
  options: HostOptions & { captureContent?: boolean; env?: Record<string, string> } = {},
): Promise<RunningHost> {
  const data = makeDataDir();
  const { captureContent = false, env = {}, ...rest } = options;
  const host = await startTestHost(data.dir, { ...otelEnv, ...env }, {
    telemetry: hostTelemetryOf(telemetry, captureContent),
    ...rest,
  });
  cleanups.push(() => data.remove(), () => host.close());
  return host;
}

async function customer(host: RunningHost, id: number): Promise<TestClient> {
  const client = new TestClient(host.url);
  await client.login(id);
  return client;
}

/** Every span of the trace whose turn ran for `conversationId`, once all `names` have arrived. */
async function traceOf(conversationId: string, names: string[]): Promise<ReceivedSpan[]> {
  const all = await receiver.waitFor((spans) => {
    const turn = spans.find((s) => s.name === 'invoke_agent supervisor' && s.attributes[ATTR.genAiConversationId] === conversationId);
    const inTrace = new Set(spans.filter((s) => s.traceId === turn?.traceId).map((s) => s.name));
    return turn !== undefined && names.every((name) => inTrace.has(name));
  });
  const traceId = all.find((s) => s.attributes[ATTR.genAiConversationId] === conversationId)!.traceId;
  return all.filter((s) => s.traceId === traceId);
}

const models = () => ({ supervisor: offline, music_expert: offline, support_rep: offline });
const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: ReceivedSpan[], name: string) => {
  const found = named(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  // The children get the OTEL_* variables from the host.
  testTelemetry = await startTestTelemetry(HOST, { OTEL_BSP_SCHEDULE_DELAY: '50' });
  ({ receiver, telemetry, env: otelEnv } = testTelemetry);
  expect(telemetry.exporting.traces).toBe(true);
  offline = recordingOffline();
  main = await startHost({ models: models() });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await testTelemetry?.close();
});

describe('one chat turn is one trace across the host and both MCP services', () => {
  it('a music question: HTTP → supervisor → music_expert → execute_tool → catalog server → SQL', async () => {
    const client = await customer(main, 1);
    const { done } = await client.chat('Show me albums by AC/DC');
    const conversationId = String(done.conversationId);
    const spans = await traceOf(conversationId, ['POST /api/chat', 'tools/call get_albums_by_artist', 'SELECT Album']);

    expect(formatSpanTree(spans)).toBe(
      [
        'POST /api/chat [algorhythm-agent-host]',
        '  invoke_agent supervisor [algorhythm-agent-host]',
        '    chat offline [algorhythm-agent-host]',
        '    invoke_agent music_expert [algorhythm-agent-host]',
        '      chat offline [algorhythm-agent-host]',
        '      execute_tool get_albums_by_artist [algorhythm-agent-host]',
        '        tools/call get_albums_by_artist [algorhythm-catalog-mcp]',
        '          SELECT Album [algorhythm-catalog-mcp]',
        '      chat offline [algorhythm-agent-host]',
      ].join('\n'),
    );
    expect(new Set(spans.map((s) => s.serviceName))).toEqual(new Set([HOST, SERVICE.catalogMcp]));

    const http = one(spans, 'POST /api/chat');
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({
      [ATTR.httpRequestMethod]: 'POST',
      [ATTR.httpRoute]: '/api/chat',
      [ATTR.httpResponseStatusCode]: 200,
    });
    // The SSE response keeps the request span open until the turn is over (within the 1 ms two
    // spans' clocks may disagree: each anchors on Date.now() when it starts).
    expect(http.endTime).toBeGreaterThanOrEqual(one(spans, 'invoke_agent supervisor').endTime - 1);

    const supervisor = one(spans, 'invoke_agent supervisor');
    expect(supervisor.attributes).toMatchObject({
      [ATTR.genAiOperationName]: 'invoke_agent',
      [ATTR.genAiAgentName]: 'supervisor',
      [ATTR.genAiConversationId]: conversationId,
      [ATTR.algorhythmRouteDecision]: 'music_expert',
      [ATTR.genAiProviderName]: 'offline',
    });
    expect(one(spans, 'invoke_agent music_expert').attributes).toMatchObject({ [ATTR.genAiAgentName]: 'music_expert' });

    const chats = named(spans, 'chat offline');
    expect(chats.map((s) => [s.attributes[ATTR.genAiAgentName], s.attributes[ATTR.genAiRequestStream]])).toEqual([
      ['supervisor', false],
      ['music_expert', true],
      ['music_expert', true],
    ]);
    for (const chat of chats) {
      const answer = answers.get(String(chat.attributes[ATTR.genAiResponseId]));
      expect(answer, 'a chat span names the response it recorded').toBeDefined();
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(chat.attributes).toMatchObject({
        [ATTR.genAiOperationName]: 'chat',
        [ATTR.genAiProviderName]: 'offline',
        [ATTR.genAiRequestModel]: 'offline',
        [ATTR.genAiResponseModel]: answer!.model,
        [ATTR.genAiConversationId]: conversationId,
        [ATTR.genAiUsageInputTokens]: answer!.usage.inputTokens,
        [ATTR.genAiUsageOutputTokens]: answer!.usage.outputTokens,
        [ATTR.genAiResponseFinishReasons]: [answer!.finish.raw],
        [ATTR.algorhythmCostUsd]: 0,
      });
      expect(answer!.usage.inputTokens).toBeGreaterThan(0);
      if (chat.attributes[ATTR.genAiRequestStream]) expect(chat.attributes[ATTR.genAiResponseTimeToFirstChunk]).toBeGreaterThanOrEqual(0);
      expect(chat.status.code).toBe(SpanStatusCode.UNSET);
    }

    const tool = one(spans, 'execute_tool get_albums_by_artist');
    const server = one(spans, 'tools/call get_albums_by_artist');
    expect(tool.kind).toBe(SpanKind.CLIENT);
    expect(tool.attributes).toMatchObject({
      [ATTR.genAiOperationName]: 'execute_tool',
      [ATTR.genAiToolName]: 'get_albums_by_artist',
      [ATTR.genAiToolType]: 'function',
      [ATTR.genAiAgentName]: 'music_expert',
      [ATTR.genAiConversationId]: conversationId,
      [ATTR.algorhythmMcpServer]: 'catalog',
      [ATTR.mcpMethodName]: 'tools/call',
      [ATTR.mcpProtocolVersion]: '2026-07-28',
      [ATTR.networkTransport]: 'inproc',
      [ATTR.jsonrpcRequestId]: server.attributes[ATTR.jsonrpcRequestId],
    });
    expect(tool.attributes[ATTR.genAiToolCallId]).toEqual(expect.any(String));
    expect(tool.attributes).not.toHaveProperty(ATTR.mcpSessionId); // stdio has no session
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes).toMatchObject({
      [ATTR.mcpMethodName]: 'tools/call',
      [ATTR.genAiToolName]: 'get_albums_by_artist',
      [ATTR.mcpProtocolVersion]: '2026-07-28',
      [ATTR.networkTransport]: 'inproc',
      [ATTR.jsonrpcRequestId]: expect.any(String),
    });
    expect(one(spans, 'SELECT Album').attributes).toMatchObject({
      [ATTR.dbSystemName]: 'sqlite',
      [ATTR.dbOperationName]: 'SELECT',
      [ATTR.dbCollectionName]: 'Album',
      [ATTR.dbResponseReturnedRows]: expect.any(Number),
    });
    // Tool schemas and content never ride on spans by default.
    for (const span of spans) {
      for (const key of CONTENT_KEYS) expect(span.attributes).not.toHaveProperty(key);
      expect(JSON.stringify(span.attributes)).not.toMatch(/inputSchema|"properties"/);
    }
  });

  it('a support question reaches the support server in the same trace', async () => {
    const client = await customer(main, 1);
    const { done } = await client.chat('Show me my invoices please');
    const spans = await traceOf(String(done.conversationId), ['POST /api/chat', 'tools/call get_invoice', 'SELECT Invoice']);
    expect(formatSpanTree(spans)).toBe(
      [
        'POST /api/chat [algorhythm-agent-host]',
        '  invoke_agent supervisor [algorhythm-agent-host]',
        '    chat offline [algorhythm-agent-host]',
        '    invoke_agent support_rep [algorhythm-agent-host]',
        '      chat offline [algorhythm-agent-host]',
        '      execute_tool get_invoice [algorhythm-agent-host]',
        '        tools/call get_invoice [algorhythm-support-mcp]',
        '          SELECT Invoice [algorhythm-support-mcp]',
        '      chat offline [algorhythm-agent-host]',
      ].join('\n'),
    );
    expect(one(spans, 'invoke_agent supervisor').attributes[ATTR.algorhythmRouteDecision]).toBe('support_rep');
    expect(one(spans, 'execute_tool get_invoice').attributes[ATTR.algorhythmMcpServer]).toBe('support');
    expect(spans.every((s) => s.status.code !== SpanStatusCode.ERROR)).toBe(true);
  });
});

describe('failures', () => {
  it("a tool error (someone else's invoice) marks execute_tool and the server span tool_error", async () => {
    const client = await customer(main, 1); // invoice 1 belongs to customer 2
    const { done } = await client.chat('Can you show me invoice 1?');
    const spans = await traceOf(String(done.conversationId), ['POST /api/chat', 'tools/call get_invoice']);
    for (const name of ['execute_tool get_invoice', 'tools/call get_invoice']) {
      const span = one(spans, name);
      expect(span.status.code, name).toBe(SpanStatusCode.ERROR);
      expect(span.attributes[ATTR.errorType], name).toBe('tool_error');
    }
    expect(one(spans, 'SELECT Invoice').attributes[ATTR.dbResponseReturnedRows]).toBe(0);
    // The model read the error and answered: the turn itself did not fail.
    for (const name of ['POST /api/chat', 'invoke_agent supervisor', 'invoke_agent support_rep']) {
      expect(one(spans, name).status.code, name).toBe(SpanStatusCode.UNSET);
    }
  });

  it('a failing model call marks its chat span and the turn with the ModelError kind', async () => {
    const failing = createScriptedModel(
      [new ModelError({ provider: 'scripted', kind: 'rate_limit', status: 429, retryable: true, message: 'scripted: slow down' })],
      { modelId: 'gpt-4o-mini' },
    );
    const host = await startHost({ models: { supervisor: failing } });
    const client = await customer(host, 2);
    const { events } = await client.chat('What albums do you have by Queen?');
    expect(events.some((e) => e.event === 'error')).toBe(true);
    const conversationId = String(events.find((e) => e.event === 'conversation')?.data.id);
    const spans = await traceOf(conversationId, ['POST /api/chat', 'chat gpt-4o-mini']);

    expect(formatSpanTree(spans)).toBe(
      ['POST /api/chat [algorhythm-agent-host]', '  invoke_agent supervisor [algorhythm-agent-host]', '    chat gpt-4o-mini [algorhythm-agent-host]'].join('\n'),
    );
    const chat = one(spans, 'chat gpt-4o-mini');
    expect(chat.status).toEqual({ code: SpanStatusCode.ERROR, message: 'scripted: slow down' });
    expect(chat.attributes).toMatchObject({
      [ATTR.errorType]: 'rate_limit',
      [ATTR.genAiProviderName]: 'scripted',
      [ATTR.genAiRequestModel]: 'gpt-4o-mini',
      [ATTR.genAiAgentName]: 'supervisor',
    });
    expect(chat.attributes).not.toHaveProperty(ATTR.genAiUsageInputTokens);
    expect(chat.events.map((e) => e.name)).toEqual(['exception']);
    expect(one(spans, 'invoke_agent supervisor').attributes[ATTR.errorType]).toBe('rate_limit');
  });
});

describe('approvals', () => {
  it('request_approval in the asking trace; decide_approval in the admin request, linked to it, with the wait', async () => {
    const client = await customer(main, 1);
    const { events, done } = await client.chat('I want a refund for invoice 98 because it was a duplicate');
    const approval = events.find((e) => e.event === 'approval')?.data;
    expect(approval).toMatchObject({ status: 'pending' });
    const asking = await traceOf(String(done.conversationId), ['POST /api/chat', 'request_approval', 'tools/call process_refund']);
    const requested = one(asking, 'request_approval');
    expect(requested.attributes).toMatchObject({
      [ATTR.algorhythmApprovalId]: approval!.id,
      [ATTR.genAiToolName]: 'process_refund',
      [ATTR.genAiConversationId]: done.conversationId,
    });

    const decision = await admin(main.url).decide(String(approval!.id), 'approve');
    expect(decision.status).toBe(200);
    // Wait for the specialist resumed after the decision too, so every model call is in the metrics.
    const all = await receiver.waitFor((spans) => {
      const span = spans.find((s) => s.name === 'decide_approval' && s.attributes[ATTR.algorhythmApprovalId] === approval!.id);
      const names = new Set(spans.filter((s) => s.traceId === span?.traceId).map((s) => s.name));
      return ['INSERT algorhythm_refunds', 'invoke_agent support_rep'].every((name) => names.has(name));
    });
    const decided = all.find((s) => s.name === 'decide_approval' && s.attributes[ATTR.algorhythmApprovalId] === approval!.id)!;
    const deciding = all.filter((s) => s.traceId === decided.traceId);
    expect(decided.traceId).not.toBe(requested.traceId);
    // The link points at the specialist that asked (the span active when the approval was stored).
    expect(decided.links).toEqual([
      { traceId: requested.traceId, spanId: one(asking, 'invoke_agent support_rep').spanId, attributes: {} },
    ]);
    expect(decided.attributes).toMatchObject({
      [ATTR.algorhythmApprovalOutcome]: 'accepted',
      [ATTR.genAiToolName]: 'process_refund',
      [ATTR.algorhythmApprovalWaitDuration]: expect.any(Number),
    });
    expect(decided.attributes[ATTR.algorhythmApprovalWaitDuration]).toBeGreaterThanOrEqual(0);
    expect(formatSpanTree(deciding).split('\n').slice(0, 3)).toEqual([
      'POST /api/admin/approvals/:id/decision [algorhythm-agent-host]',
      '  execute_tool process_refund [algorhythm-agent-host]',
      '    tools/call process_refund [algorhythm-support-mcp]',
    ]);
    expect(named(deciding, 'INSERT algorhythm_refunds')).toHaveLength(1);
  });

  it('an approval left to expire is reported as decided, outcome expired, linked to the asking turn', async () => {
    const host = await startHost({ models: models(), env: { APPROVAL_TTL_SECONDS: '1', APPROVAL_SWEEP_SECONDS: '1' } });
    const client = await customer(host, 1);
    const { events, done } = await client.chat('I want a refund for invoice 121 because I never got it');
    const approval = events.find((e) => e.event === 'approval')?.data;
    const asking = await traceOf(String(done.conversationId), ['POST /api/chat', 'request_approval']);
    const spans = await receiver.waitFor((all) =>
      all.some((s) => s.name === 'decide_approval' && s.attributes[ATTR.algorhythmApprovalId] === approval!.id),
    );
    const decided = spans.find((s) => s.name === 'decide_approval' && s.attributes[ATTR.algorhythmApprovalId] === approval!.id)!;
    expect(decided.attributes[ATTR.algorhythmApprovalOutcome]).toBe('expired');
    expect(decided.attributes[ATTR.algorhythmApprovalWaitDuration]).toBeGreaterThanOrEqual(1);
    expect(decided.links.map((l) => l.traceId)).toEqual([one(asking, 'request_approval').traceId]);
  });
});

describe('content capture', () => {
  it('is off by default and on, under 2 KB per attribute, with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    const without = receiver.spans.filter((s) => s.serviceName === HOST);
    expect(without.length).toBeGreaterThan(0);
    for (const span of without) for (const key of CONTENT_KEYS) expect(span.attributes).not.toHaveProperty(key);

    expect(captureContentEnabled({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' })).toBe(true);
    const host = await startHost({ captureContent: true, models: models() });
    const client = await customer(host, 1);
    const { done } = await client.chat('Show me my invoices please');
    const spans = await traceOf(String(done.conversationId), ['POST /api/chat', 'tools/call get_invoice']);
    const chats = named(spans, 'chat offline');
    expect(chats).toHaveLength(3);
    for (const chat of chats) {
      for (const key of CONTENT_KEYS) {
        const value = chat.attributes[key];
        expect(typeof value, key).toBe('string');
        expect(Buffer.byteLength(String(value)), key).toBeLessThan(MAX_CONTENT_BYTES + 1);
        expect(() => JSON.parse(String(value)), key).not.toThrow();
      }
    }
    expect(String(chats[0]!.attributes[ATTR.genAiInputMessages])).toContain('Show me my invoices please');
    expect(String(chats.at(-1)!.attributes[ATTR.genAiOutputMessages])).toContain('"finish_reason":"stop"');
    // Only the host's chat spans carry content; tool spans and the servers' never do.
    for (const span of spans.filter((s) => !s.name.startsWith('chat '))) {
      for (const key of CONTENT_KEYS) expect(span.attributes).not.toHaveProperty(key);
    }
  });
});

describe('GenAI metrics', () => {
  it('exports gen_ai.client.token.usage and gen_ai.client.operation.duration', async () => {
    await telemetry.forceFlush();
    const metrics = await receiver.waitForMetrics((m) =>
      ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration'].every((name) => m.some((x) => x.name === name)),
    );
    const tokens = metrics.filter((m) => m.name === 'gen_ai.client.token.usage').at(-1)!;
    expect(tokens).toMatchObject({ type: 'histogram', unit: '{token}', serviceName: HOST });
    expect(tokens.dataPoints.map((p) => p.attributes[ATTR.genAiTokenType]).sort()).toEqual(expect.arrayContaining(['input', 'output']));
    const offlineInput = tokens.dataPoints.find(
      (p) => p.attributes[ATTR.genAiProviderName] === 'offline' && p.attributes[ATTR.genAiTokenType] === 'input',
    );
    const recorded = [...answers.values()].reduce((sum, a) => sum + a.usage.inputTokens, 0);
    expect(offlineInput?.sum).toBe(recorded);
    const durations = metrics.filter((m) => m.name === 'gen_ai.client.operation.duration').at(-1)!;
    expect(durations.dataPoints.some((p) => p.attributes[ATTR.errorType] === 'rate_limit')).toBe(true);
  });
});
