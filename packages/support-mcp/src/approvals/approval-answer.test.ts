import { ANSWERED_BY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import { ToolError } from '@algorhythm/mcp-kit/tools';
import type { ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answeredBy, CLIENT_USER_LABEL, readApprovalAnswer } from './approval-answer.ts';

const ctx = (mcpReq: Record<string, unknown>) => ({ mcpReq }) as unknown as ServerContext;
const form = z.object({ ok: z.boolean(), note: z.string().max(5).optional() });

describe('answeredBy', () => {
  it('is the trimmed name in the request _meta, or the fixed label when the client says nothing', () => {
    expect(answeredBy(ctx({ _meta: { [ANSWERED_BY_META_KEY]: '  Ann Admin ' } }))).toBe('Ann Admin');
    expect(answeredBy(ctx({ _meta: { [ANSWERED_BY_META_KEY]: 'é'.repeat(200) } }))).toBe('é'.repeat(200));
    expect(answeredBy(ctx({}))).toBe(CLIENT_USER_LABEL);
    expect(answeredBy(ctx({ _meta: { progressToken: 1 } }))).toBe('MCP client user');
  });

  it('refuses a value that is present but not a name', () => {
    for (const bad of ['', '  ', 'x'.repeat(201), 'Ann\u0000', 'a\nb', 7, null, ['Ann'], { name: 'Ann' }]) {
      expect(() => answeredBy(ctx({ _meta: { [ANSWERED_BY_META_KEY]: bad } })), JSON.stringify(bad)).toThrow(ToolError);
    }
  });
});

describe('readApprovalAnswer', () => {
  const read = (inputResponses: unknown) => readApprovalAnswer(ctx({ inputResponses }), form, 'incomplete');

  it('tells missing, declined, cancelled and accepted apart, keeping only the form fields', () => {
    expect(read(undefined)).toEqual({ kind: 'missing' });
    expect(read({ other: { action: 'accept', content: { ok: true } } })).toEqual({ kind: 'missing' });
    expect(read({ approval: { action: 'decline' } })).toEqual({ kind: 'declined' });
    expect(read({ approval: { action: 'cancel', content: { ok: true } } })).toEqual({ kind: 'cancelled' });
    expect(read({ approval: { action: 'accept', content: { ok: true, approver: 'typed name', extra: 1 } } })).toEqual({
      kind: 'accepted',
      content: { ok: true },
    });
  });

  it('refuses content that does not fit the form, and answers that are not elicitation results', () => {
    for (const content of [undefined, {}, { ok: 'yes' }, { ok: true, note: 'too long' }]) {
      expect(() => read({ approval: { action: 'accept', content } }), JSON.stringify(content)).toThrow('incomplete');
    }
    expect(() => read({ approval: { roots: [] } })).toThrow(/must be an elicitation result/);
  });
});
