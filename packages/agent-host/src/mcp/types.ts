import type { ElicitationSummary } from '@algorhythm/web/schemas';
import type { ToolDefinition, ToolResultPart } from '../model/types.ts';

export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** A form elicitation the server embedded in an `input_required` answer. */
export interface PendingInput {
  inputKey: string;
  message: string;
  requestedSchema: Record<string, unknown>;
  /** The server's structured details for the person deciding, when it attached them. */
  summary: ElicitationSummary | null;
  requestState: string;
}

export type ToolCallOutcome =
  | { type: 'result'; result: ToolResultPart }
  | { type: 'input_required'; input: PendingInput };

export interface CallOptions {
  signal?: AbortSignal;
  /** The second round of a multi-round-trip call. */
  inputResponses?: Record<string, unknown>;
  requestState?: string;
  /** Extra `_meta` on the request (e.g. who answered an elicitation). */
  meta?: Record<string, unknown>;
}

/** What an agent loop needs from an MCP server: its tool list and a way to call one. */
export interface ToolSource {
  readonly server: 'catalog' | 'support';
  listTools(): Promise<ToolDefinition[]>;
  callTool(call: ToolCallRequest, options?: CallOptions): Promise<ToolCallOutcome>;
}
