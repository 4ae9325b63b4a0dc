import { ATTR } from '@algorhythm/telemetry';
import type { SpanRecord } from './span-record.ts';

/** The columns the trace list filters and sums on, taken from a span's attributes (the dashboard's names). */
export interface SpanColumns {
  conversationId: string | null;
  agent: string | null;
  model: string | null;
  tool: string | null;
  route: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: boolean;
}

export function spanColumns(span: SpanRecord): SpanColumns {
  const a = span.attributes;
  const text = (key: string): string | null => (typeof a[key] === 'string' && a[key] !== '' ? (a[key] as string) : null);
  const count = (key: string): number => (typeof a[key] === 'number' && Number.isFinite(a[key]) ? (a[key] as number) : 0);
  const isChat = a[ATTR.genAiOperationName] === 'chat';
  return {
    conversationId: text(ATTR.genAiConversationId),
    agent: text(ATTR.genAiAgentName),
    model: isChat ? (text(ATTR.genAiResponseModel) ?? text(ATTR.genAiRequestModel)) : null,
    tool: text(ATTR.genAiToolName),
    route: text(ATTR.algorhythmRouteDecision),
    // Tokens and cost are counted on `chat` spans only, so nothing is summed twice.
    inputTokens: isChat ? count(ATTR.genAiUsageInputTokens) : 0,
    outputTokens: isChat ? count(ATTR.genAiUsageOutputTokens) : 0,
    costUsd: isChat ? count(ATTR.algorhythmCostUsd) : 0,
    error: span.statusCode === 2,
  };
}
