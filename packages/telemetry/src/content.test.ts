import { describe, expect, it } from 'vitest';
import {
  captureContentEnabled,
  inputContentAttributes,
  MAX_CONTENT_BYTES,
  outputContentAttributes,
  truncateJson,
} from './content.ts';
import type { ContentMessage } from './content.ts';
import { ATTR } from './names.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('captureContentEnabled', () => {
  it('is on only for OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', () => {
    expect(captureContentEnabled({})).toBe(false);
    expect(captureContentEnabled({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false' })).toBe(false);
    expect(captureContentEnabled({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '1' })).toBe(false);
    expect(captureContentEnabled({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' })).toBe(true);
    expect(captureContentEnabled({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: ' TRUE ' })).toBe(true);
  });
});

describe('truncateJson', () => {
  it('leaves small values alone', () => {
    expect(truncateJson([{ role: 'user', parts: [] }])).toBe('[{"role":"user","parts":[]}]');
  });

  it('cuts long strings so the JSON stays valid and under the limit', () => {
    const out = truncateJson([{ type: 'text', content: 'x'.repeat(10_000) }]);
    expect(bytes(out)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(bytes(out)).toBeGreaterThan(MAX_CONTENT_BYTES - 50);
    const parsed = JSON.parse(out) as Array<{ content: string }>;
    expect(parsed[0]?.content.endsWith('…')).toBe(true);
  });

  it('counts UTF-8 bytes and never splits a surrogate pair', () => {
    for (const unit of ['🎸', 'é', '音楽', '"\\\n']) {
      const out = truncateJson({ a: unit.repeat(3000), b: 'short' }, 500);
      expect(bytes(out)).toBeLessThanOrEqual(500);
      const parsed = JSON.parse(out) as { a: string; b: string };
      expect(parsed.b).toBe('short');
      expect(parsed.a).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it('drops the oldest array elements when the structure alone is too big', () => {
    const history = Array.from({ length: 400 }, (_, i) => ({ role: 'user', parts: [{ type: 'text', content: `m${i}` }] }));
    const out = truncateJson(history, 1000);
    expect(bytes(out)).toBeLessThanOrEqual(1000);
    const parsed = JSON.parse(out) as typeof history;
    expect(parsed.at(-1)?.parts[0]?.content).toBe('m399');
    expect(parsed.length).toBeLessThan(400);
  });

  it('falls back to a note when nothing fits', () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key${i}`, i]));
    expect(JSON.parse(truncateJson(wide, 200))).toEqual({ truncated: true, bytes: bytes(JSON.stringify(wide)) });
  });
});

describe('content attributes in the GenAI message shapes', () => {
  const messages: ContentMessage[] = [
    { role: 'system', content: 'You are the Algorhythm music expert.' },
    { role: 'user', content: 'Albums by AC/DC?' },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] },
    { role: 'tool', content: [{ type: 'tool-result', callId: 'call_1', name: 'get_albums_by_artist', output: 'Back in Black' }] },
  ];

  it('puts system messages in gen_ai.system_instructions and the rest in gen_ai.input.messages', () => {
    const attributes = inputContentAttributes(messages);
    expect(JSON.parse(String(attributes[ATTR.genAiSystemInstructions]))).toEqual([
      { type: 'text', content: 'You are the Algorhythm music expert.' },
    ]);
    expect(JSON.parse(String(attributes[ATTR.genAiInputMessages]))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Albums by AC/DC?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'Back in Black' }] },
    ]);
  });

  it('omits system instructions when there are none', () => {
    expect(Object.keys(inputContentAttributes(messages.slice(1)))).toEqual([ATTR.genAiInputMessages]);
  });

  it('writes the output message with the conventions’ finish reason', () => {
    const out = (reason: string, raw?: string) =>
      JSON.parse(String(outputContentAttributes([{ type: 'text', text: 'Here you go' }], { reason, raw })[ATTR.genAiOutputMessages]));
    expect(out('stop', 'end_turn')).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Here you go' }], finish_reason: 'stop' }]);
    expect(out('tool-calls')[0].finish_reason).toBe('tool_call');
    expect(out('content-filter')[0].finish_reason).toBe('content_filter');
    expect(out('other', 'pause_turn')[0].finish_reason).toBe('pause_turn');
  });
});

describe('truncateJson keeps structure readable', () => {
  it('does not cut short strings (roles, types, ids) while long texts shrink', () => {
    const history = [
      { role: 'user', parts: [{ type: 'text', content: 'a'.repeat(5000) }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_abc', name: 'get_invoice', arguments: { id: 98 } }] },
    ];
    const parsed = JSON.parse(truncateJson(history, 600)) as typeof history;
    expect(parsed).toHaveLength(2);
    expect(parsed[1]).toEqual(history[1]);
    expect(parsed[0]?.role).toBe('user');
  });

  it('cuts a single huge message below the floor when it is all there is', () => {
    const out = truncateJson([{ role: 'user', parts: [{ type: 'text', content: 'z'.repeat(5000) }] }], 60);
    expect(bytes(out)).toBeLessThanOrEqual(60);
    expect(() => JSON.parse(out)).not.toThrow();
  });
});
