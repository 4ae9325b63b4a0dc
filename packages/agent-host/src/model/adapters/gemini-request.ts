import { FunctionCallingConfigMode } from '@google/genai';
import type { Content, GenerateContentConfig, GenerateContentParameters, Part, ToolConfig } from '@google/genai';
import type { ChatMessage, ChatRequest, ToolCallPart, ToolChoice } from '../types.ts';

/** Prefix of call ids we made up because Gemini sent none; they are not sent back as ids. */
export const SYNTHETIC_ID_PREFIX = 'gemini-call-';

/**
 * Google's documented stand-in for a lost `thoughtSignature` (history from another provider, or
 * stored without it): Gemini 3 rejects replayed function calls that carry none.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';
const NEEDS_SIGNATURE = /^gemini-([3-9]|\d{2,})/;

/** https://ai.google.dev/api/generate-content#request-body */
export function toGeminiRequest(request: ChatRequest, options: { model: string }): { params: GenerateContentParameters; warnings: string[] } {
  const warnings: string[] = [];
  const needsSignature = NEEDS_SIGNATURE.test(options.model);
  const system = request.messages.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n\n');
  const config: GenerateContentConfig = {
    // Continuation would re-send requests on its own; retries are ours (retry.ts).
    automaticContinuation: false,
  };
  if (system) config.systemInstruction = system;
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          parametersJsonSchema: tool.inputSchema,
        })),
      },
    ];
    if (request.toolChoice) config.toolConfig = toGeminiToolConfig(request.toolChoice);
  }
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;

  const contents: Content[] = [];
  let patched = 0;
  for (const message of request.messages) {
    const content = toGeminiContent(message, needsSignature);
    if (!content?.parts?.length) continue;
    patched += content.parts.filter((part) => part.thoughtSignature === SKIP_SIGNATURE).length;
    const last = contents.at(-1);
    if (last && last.role === content.role) last.parts!.push(...content.parts);
    else contents.push(content);
  }
  if (patched > 0) warnings.push(`${patched} replayed tool call(s) had no thought signature; sent Gemini's skip marker`);
  return { params: { model: options.model, contents, config }, warnings };
}

export function toGeminiContent(message: ChatMessage, needsSignature = false): Content | undefined {
  switch (message.role) {
    case 'system':
      return undefined;
    case 'user':
      return { role: 'user', parts: message.content ? [{ text: message.content }] : [] };
    case 'assistant': {
      let firstCall = true;
      const parts = message.content.flatMap((part): Part[] => {
        if (part.type === 'text') return part.text ? [{ text: part.text }] : [];
        const out = functionCallPart(part, needsSignature && firstCall);
        firstCall = false;
        return [out];
      });
      return { role: 'model', parts };
    }
    case 'tool':
      return {
        role: 'user',
        parts: message.content.map((result) => ({
          functionResponse: {
            ...(realId(result.callId) ? { id: result.callId } : {}),
            name: result.name,
            // Gemini's convention: `output` for a result, `error` for a failure.
            response: result.isError ? { error: result.output } : { output: result.output },
          },
        })),
      };
  }
}

/** Only the first call of a parallel set carries the signature (Gemini's own rule). */
function functionCallPart(call: ToolCallPart, patchMissing: boolean): Part {
  const signature = call.providerMetadata?.gemini?.thoughtSignature;
  return {
    functionCall: { ...(realId(call.id) ? { id: call.id } : {}), name: call.name, args: call.arguments },
    ...(typeof signature === 'string' ? { thoughtSignature: signature } : patchMissing ? { thoughtSignature: SKIP_SIGNATURE } : {}),
  };
}

const realId = (id: string) => !id.startsWith(SYNTHETIC_ID_PREFIX);

export function toGeminiToolConfig(choice: ToolChoice): ToolConfig {
  if (typeof choice !== 'string') {
    return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.name] } };
  }
  const mode = { auto: FunctionCallingConfigMode.AUTO, required: FunctionCallingConfigMode.ANY, none: FunctionCallingConfigMode.NONE }[choice];
  return { functionCallingConfig: { mode } };
}
