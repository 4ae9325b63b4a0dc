import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions/completions';
import type { ChatMessage, ChatRequest, ToolChoice } from '../types.ts';

export interface OpenAIRequestOptions {
  model: string;
  /**
   * The official OpenAI API (vs. DeepSeek or a local compatible server): it takes
   * `max_completion_tokens`, which compatible servers often don't know, and runs reasoning models.
   */
  official: boolean;
}

/** Reasoning models reject `temperature`. https://platform.openai.com/docs/guides/reasoning */
const REASONING_MODEL = /^(o\d|gpt-5)/;

/** https://platform.openai.com/docs/api-reference/chat/create */
export function toOpenAIRequest(
  request: ChatRequest,
  options: OpenAIRequestOptions,
): { body: ChatCompletionCreateParamsBase; warnings: string[] } {
  const warnings: string[] = [];
  const body: ChatCompletionCreateParamsBase = {
    model: options.model,
    messages: request.messages.flatMap(toOpenAIMessages),
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    }));
    if (request.toolChoice) body.tool_choice = toOpenAIToolChoice(request.toolChoice);
  }
  if (request.maxOutputTokens !== undefined) {
    if (options.official) body.max_completion_tokens = request.maxOutputTokens;
    else body.max_tokens = request.maxOutputTokens;
  }
  if (request.temperature !== undefined) {
    if (options.official && REASONING_MODEL.test(options.model)) {
      warnings.push(`temperature is not supported by ${options.model} and was ignored`);
    } else {
      body.temperature = request.temperature;
    }
  }
  return { body, warnings };
}

export function toOpenAIMessages(message: ChatMessage): ChatCompletionMessageParam[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content }];
    case 'user':
      return [{ role: 'user', content: message.content }];
    case 'assistant': {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
      const calls = message.content.flatMap((part) => (part.type === 'tool-call' ? [part] : []));
      return [
        {
          role: 'assistant',
          content: text || null,
          ...(calls.length
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                })),
              }
            : {}),
        },
      ];
    }
    case 'tool':
      // One `tool` message per result, each echoing its call id.
      return message.content.map((result) => ({
        role: 'tool',
        tool_call_id: result.callId,
        content: result.isError && !/^error/i.test(result.output) ? `Error: ${result.output}` : result.output,
      }));
  }
}

export function toOpenAIToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
