import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { BadResponseError } from '../errors.ts';
import { parseToolArguments } from '../tool-arguments.ts';
import type { FinishReason, StreamEvent } from '../types.ts';
import { convertAnthropicUsage, mapAnthropicStopReason } from './anthropic-response.ts';

/**
 * Messages stream events → StreamEvents. Content blocks are addressed by `index`; a `tool_use`
 * block's input arrives as `input_json_delta` slices and is complete at its `content_block_stop`.
 * Usage starts in `message_start` and is updated (cumulatively) by `message_delta`.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export async function* fromAnthropicStream(events: AsyncIterable<RawMessageStreamEvent>, warnings: string[] = []): AsyncIterable<StreamEvent> {
  let id: string | undefined;
  let model = '';
  let raw: Record<string, number | null | undefined> = {};
  let finish: FinishReason | undefined;
  const tools = new Map<number, { id: string; name: string; json: string }>();

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        id = event.message.id;
        model = event.message.model;
        raw = { ...(event.message.usage as unknown as Record<string, number | null>) };
        yield { type: 'response-start', id, model };
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          const block = event.content_block;
          tools.set(event.index, { id: block.id, name: block.name, json: '' });
          yield { type: 'tool-call-start', id: block.id, name: block.name };
        } else if (event.content_block.type === 'text' && event.content_block.text) {
          yield { type: 'text-delta', delta: event.content_block.text };
        }
        break;
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta' && delta.text) yield { type: 'text-delta', delta: delta.text };
        if (delta.type === 'input_json_delta') {
          const tool = tools.get(event.index);
          if (!tool) throw new BadResponseError('input delta for an unknown content block');
          tool.json += delta.partial_json;
          if (delta.partial_json) yield { type: 'tool-call-delta', id: tool.id, argumentsDelta: delta.partial_json };
        }
        break;
      }
      case 'content_block_stop': {
        const tool = tools.get(event.index);
        if (tool) {
          tools.delete(event.index);
          yield { type: 'tool-call-end', id: tool.id, name: tool.name, arguments: parseToolArguments(tool.json, tool.name) };
        }
        break;
      }
      case 'message_delta':
        for (const [key, value] of Object.entries(event.usage ?? {})) if (value !== null && value !== undefined) raw[key] = value as number;
        if (event.delta.stop_reason) finish = mapAnthropicStopReason(event.delta.stop_reason);
        break;
      case 'message_stop':
        if (tools.size > 0) throw new BadResponseError('the stream stopped inside a tool call');
        yield { type: 'finish', id, model, finish: finish ?? mapAnthropicStopReason(undefined), usage: convertAnthropicUsage(raw), warnings };
        return;
      default:
        break;
    }
  }
  throw new BadResponseError('the stream ended before message_stop');
}
