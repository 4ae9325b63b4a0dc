import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import {
  chatRequestAttributes,
  chatResponseAttributes,
  errorTypeOf,
  inputContentAttributes,
  markSpanError,
  outputContentAttributes,
  spanName,
  withSpan,
} from '@algorhythm/telemetry';
import type { GenAiMetrics } from '@algorhythm/telemetry';
import type { ChatModel, ChatRequest, ChatResponse, StreamEvent, TextPart, ToolCallPart } from '../model/types.ts';
import { agentScope } from './agent-scope.ts';

export interface ModelTracingDeps {
  tracer: Tracer;
  metrics: GenAiMetrics;
  /** OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: messages on the span (each under 2 KB). */
  captureContent: boolean;
}

type Finish = Extract<StreamEvent, { type: 'finish' }>;

/**
 * A ChatModel whose every call is a `chat {model}` CLIENT span with the GenAI attributes, plus the
 * two GenAI metrics. Agent and conversation come from the context the agent spans set. A stream's
 * span ends when the stream does: finished, failed, or abandoned by its consumer.
 */
export function traceChatModel(model: ChatModel, deps: ModelTracingDeps): ChatModel {
  const { tracer, metrics } = deps;

  const startAttributes = (request: ChatRequest, stream: boolean): Attributes => {
    const scope = agentScope();
    return {
      ...chatRequestAttributes({
        provider: model.provider,
        requestModel: model.modelId,
        conversationId: scope?.conversationId,
        agentName: scope?.agentName,
        stream,
        server: model.endpoint,
        maxOutputTokens: request.maxOutputTokens,
        temperature: request.temperature,
      }),
      ...(deps.captureContent ? inputContentAttributes(request.messages) : {}),
    };
  };

  const endCall = (span: Span, started: number, outcome: { response?: Finish | ChatResponse; content?: Array<TextPart | ToolCallPart>; firstChunk?: number; error?: unknown }) => {
    const { response } = outcome;
    if (response) {
      span.setAttributes(
        chatResponseAttributes({
          id: response.id,
          model: response.model,
          requestModel: model.modelId,
          finish: response.finish,
          usage: response.usage,
          timeToFirstChunkSeconds: outcome.firstChunk === undefined ? undefined : (outcome.firstChunk - started) / 1000,
        }),
      );
      if (deps.captureContent && outcome.content) span.setAttributes(outputContentAttributes(outcome.content, response.finish));
    }
    metrics.recordModelCall({
      provider: model.provider,
      requestModel: model.modelId,
      responseModel: response?.model,
      serverAddress: model.endpoint?.address,
      serverPort: model.endpoint?.port,
      durationSeconds: (performance.now() - started) / 1000,
      usage: response?.usage,
      errorType: outcome.error === undefined ? undefined : errorTypeOf(outcome.error),
    });
  };

  return {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.endpoint ? { endpoint: model.endpoint } : {}),
    ...(model.displayName ? { displayName: model.displayName } : {}),

    generate(request) {
      return withSpan(
        tracer,
        spanName.chat(model.modelId),
        { kind: SpanKind.CLIENT, attributes: startAttributes(request, false) },
        async (span) => {
          const started = performance.now();
          try {
            const response = await model.generate(request);
            endCall(span, started, { response, content: response.content });
            return response;
          } catch (error) {
            endCall(span, started, { error });
            throw error;
          }
        },
      );
    },

    stream(request) {
      return tracedStream(request);
    },
  };

  async function* tracedStream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const span = tracer.startSpan(spanName.chat(model.modelId), {
      kind: SpanKind.CLIENT,
      attributes: startAttributes(request, true),
    });
    const started = performance.now();
    let firstChunk: number | undefined;
    let finish: Finish | undefined;
    const content: Array<TextPart | ToolCallPart> = [];
    let failed = false;
    try {
      const inner = context.with(trace.setSpan(context.active(), span), () => model.stream(request));
      for await (const event of inner) {
        firstChunk ??= performance.now();
        if (event.type === 'finish') finish = event;
        else if (deps.captureContent) collect(content, event);
        yield event;
      }
    } catch (error) {
      failed = true;
      span.recordException(error instanceof Error ? error : String(error));
      markSpanError(span, errorTypeOf(error), error instanceof Error ? error.message : String(error));
      endCall(span, started, { firstChunk, error });
      throw error;
    } finally {
      // Finished, or abandoned by the consumer (return() on the generator): end it either way.
      if (!failed) endCall(span, started, { ...(finish ? { response: finish } : {}), content, firstChunk });
      span.end();
    }
  }
}

function collect(content: Array<TextPart | ToolCallPart>, event: StreamEvent): void {
  if (event.type === 'text-delta') {
    const last = content.at(-1);
    if (last?.type === 'text') last.text += event.delta;
    else content.push({ type: 'text', text: event.delta });
  } else if (event.type === 'tool-call-end') {
    content.push({ type: 'tool-call', id: event.id, name: event.name, arguments: event.arguments });
  }
}
