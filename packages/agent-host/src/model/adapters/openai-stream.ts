import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { BadResponseError } from '../errors.ts';
import { parseToolArguments } from '../tool-arguments.ts';
import type { FinishReason, StreamEvent, Usage } from '../types.ts';
import { emptyUsage } from '../usage.ts';
import { convertOpenAIUsage, mapOpenAIFinishReason } from './openai-response.ts';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  started: boolean;
}

/**
 * Chat Completions chunks → StreamEvents. Tool calls arrive by `index`: the first chunk of a call
 * carries its id and name, later ones slices of the JSON arguments; parallel calls have distinct
 * indexes. The finish reason comes before the (optional) usage-only chunk, so `finish` is emitted
 * when the stream ends; a stream that ends without a finish reason was cut and is a bad response.
 * https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export async function* fromOpenAIStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  warnings: string[] = [],
): AsyncIterable<StreamEvent> {
  let id: string | undefined;
  let model = '';
  let started = false;
  let finish: FinishReason | undefined;
  let usage: Usage = emptyUsage();
  const calls = new Map<number, OpenCall>();

  for await (const chunk of chunks) {
    if (!started) {
      started = true;
      id = chunk.id;
      model = chunk.model;
      yield { type: 'response-start', id, model };
    }
    if (chunk.usage) usage = convertOpenAIUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta ?? {};
    if (delta.content) yield { type: 'text-delta', delta: delta.content };
    for (const [position, piece] of (delta.tool_calls ?? []).entries()) {
      const index = piece.index ?? position;
      let call = calls.get(index);
      if (!call) {
        call = { id: piece.id || `call_${index}`, name: '', args: '', started: false };
        calls.set(index, call);
      }
      if (piece.function?.name) call.name += piece.function.name;
      if (!call.started && call.name) {
        call.started = true;
        yield { type: 'tool-call-start', id: call.id, name: call.name };
      }
      const argumentsDelta = piece.function?.arguments;
      if (argumentsDelta) {
        call.args += argumentsDelta;
        if (call.started) yield { type: 'tool-call-delta', id: call.id, argumentsDelta };
      }
    }
    if (choice.finish_reason) finish = mapOpenAIFinishReason(choice.finish_reason);
  }

  if (!finish) throw new BadResponseError('the stream ended before the model finished');
  for (const [, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
    if (!call.name) throw new BadResponseError('a streamed tool call has no name');
    if (!call.started) yield { type: 'tool-call-start', id: call.id, name: call.name };
    yield { type: 'tool-call-end', id: call.id, name: call.name, arguments: parseToolArguments(call.args, call.name) };
  }
  yield { type: 'finish', id, model, finish, usage, warnings };
}
