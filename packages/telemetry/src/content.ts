import type { Attributes } from '@opentelemetry/api';
import { ATTR } from './names.ts';

/**
 * Opt-in message content on `chat` spans, in the GenAI conventions' JSON shapes
 * (gen-ai-input-messages.json, gen-ai-output-messages.json, gen-ai-system-instructions.json).
 * Off unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true. Tool schemas are never
 * captured. Each attribute is kept under MAX_CONTENT_BYTES and stays valid JSON (see truncateJson).
 */

/** Tempo's default per-attribute limit is 2048 bytes; stay under it with room to spare. */
export const MAX_CONTENT_BYTES = 2000;

const ELLIPSIS = '…';

export function captureContentEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true';
}

// Structural mirrors of agent-host's model contract (model/types.ts); that package depends on this
// one, so the types cannot be imported from there.
export interface ContentTextPart {
  type: 'text';
  text: string;
}
export interface ContentToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}
export interface ContentToolResultPart {
  type: 'tool-result';
  callId: string;
  name: string;
  output: string;
  isError?: boolean;
}
export type ContentMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: Array<ContentTextPart | ContentToolCallPart> }
  | { role: 'tool'; content: ContentToolResultPart[] };
export interface ContentFinish {
  reason: string;
  raw: string | undefined;
}

/**
 * `gen_ai.system_instructions` (system messages, joined as text parts) and `gen_ai.input.messages`
 * (the rest) for a request. Oldest messages are dropped first when the history does not fit.
 */
export function inputContentAttributes(messages: readonly ContentMessage[], maxBytes = MAX_CONTENT_BYTES): Attributes {
  const system = messages.filter((m) => m.role === 'system').map((m) => ({ type: 'text', content: m.content }));
  const input = messages.filter((m) => m.role !== 'system').map(toGenAiMessage);
  const attributes: Attributes = { [ATTR.genAiInputMessages]: truncateJson(input, maxBytes) };
  if (system.length > 0) attributes[ATTR.genAiSystemInstructions] = truncateJson(system, maxBytes);
  return attributes;
}

/** `gen_ai.output.messages` for a response: one assistant message with its finish reason. */
export function outputContentAttributes(
  content: ReadonlyArray<ContentTextPart | ContentToolCallPart>,
  finish: ContentFinish,
  maxBytes = MAX_CONTENT_BYTES,
): Attributes {
  const message = { role: 'assistant', parts: content.map(toGenAiPart), finish_reason: toGenAiFinishReason(finish) };
  return { [ATTR.genAiOutputMessages]: truncateJson([message], maxBytes) };
}

function toGenAiMessage(message: ContentMessage): { role: string; parts: unknown[] } {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, parts: [{ type: 'text', content: message.content }] };
    case 'assistant':
      return { role: 'assistant', parts: message.content.map(toGenAiPart) };
    case 'tool':
      return {
        role: 'tool',
        parts: message.content.map((r) => ({ type: 'tool_call_response', id: r.callId, response: r.output })),
      };
  }
}

function toGenAiPart(part: ContentTextPart | ContentToolCallPart): unknown {
  return part.type === 'text'
    ? { type: 'text', content: part.text }
    : { type: 'tool_call', id: part.id, name: part.name, arguments: part.arguments };
}

const FINISH_REASONS: Record<string, string> = {
  stop: 'stop',
  'tool-calls': 'tool_call',
  length: 'length',
  'content-filter': 'content_filter',
  error: 'error',
};

function toGenAiFinishReason(finish: ContentFinish): string {
  return FINISH_REASONS[finish.reason] ?? finish.raw ?? finish.reason;
}

/** Strings up to this many characters are never cut (roles, part types, ids, short texts). */
const MIN_STRING_CAP = 64;

/**
 * JSON-stringifies `value` in at most `maxBytes` UTF-8 bytes, always as valid JSON: long string
 * values are cut (ending in `…`) to the longest common length that fits, but not below 64
 * characters; if that is not enough and `value` is an array (a message history), its oldest (first)
 * elements are dropped until it fits; then the newest element alone with strings cut to any length;
 * as a last resort a `{"truncated":true,"bytes":N}` note is returned.
 */
export function truncateJson(value: unknown, maxBytes = MAX_CONTENT_BYTES): string {
  const full = JSON.stringify(value) ?? 'null';
  if (byteLength(full) <= maxBytes) return full;
  const count = Array.isArray(value) ? value.length : 1;
  for (let dropped = 0; dropped < count; dropped++) {
    const fitted = fitStrings(Array.isArray(value) ? value.slice(dropped) : value, maxBytes, MIN_STRING_CAP);
    if (fitted !== undefined) return fitted;
  }
  const fitted = fitStrings(Array.isArray(value) ? value.slice(-1) : value, maxBytes, 0);
  return fitted ?? JSON.stringify({ truncated: true, bytes: byteLength(full) });
}

/** Largest per-string cap ≥ `floor` at which the JSON fits, by binary search; undefined if none does. */
function fitStrings(value: unknown, maxBytes: number, floor: number): string | undefined {
  let lo = floor;
  let hi = Math.max(floor, longestString(value));
  let best: string | undefined;
  while (lo <= hi) {
    const cap = Math.floor((lo + hi) / 2);
    const json = JSON.stringify(capStrings(value, cap)) ?? 'null';
    if (byteLength(json) <= maxBytes) {
      best = json;
      lo = cap + 1;
    } else {
      hi = cap - 1;
    }
  }
  return best;
}

function capStrings(value: unknown, cap: number): unknown {
  if (typeof value === 'string') return value.length > cap ? cutString(value, cap) + ELLIPSIS : value;
  if (Array.isArray(value)) return value.map((v) => capStrings(v, cap));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = capStrings(v, cap);
    return out;
  }
  return value;
}

/** Cuts to `length` UTF-16 units without splitting a surrogate pair. */
function cutString(s: string, length: number): string {
  const code = s.charCodeAt(length - 1);
  return code >= 0xd800 && code <= 0xdbff ? s.slice(0, length - 1) : s.slice(0, length);
}

function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  }
  return 0;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
