import { ANSWERED_BY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import pRetry from 'p-retry';
import type { ChatMessage, ToolCallPart, ToolResultPart } from '../model/types.ts';
import type { McpConnection } from '../mcp/mcp-connection.ts';
import type { PendingInput } from '../mcp/types.ts';
import type { ApprovalRecord } from '../store/types.ts';

export type AnsweredCall =
  | { type: 'result'; call: ToolCallPart; result: ToolResultPart; messages: ChatMessage[] }
  /** The server wants more input for the same call: another approval. */
  | { type: 'input_required'; call: ToolCallPart; input: PendingInput };

/**
 * The second round of the tool call that asked: the admin's answer under the elicitation's key, the server's sealed
 * state, and who answered. The servers recognise a replayed answer, so trying again after a lost reply is safe;
 * when the server stays unreachable the call ends as an error result the specialist can explain.
 */
export async function answerToolCall(
  connection: McpConnection,
  approval: ApprovalRecord,
  options: { retries?: number; minTimeoutMs?: number } = {},
): Promise<AnsweredCall> {
  const call: ToolCallPart = { type: 'tool-call', id: `approval-${approval.id}`, name: approval.toolCall.name, arguments: approval.toolCall.arguments };
  const request = {
    inputResponses: { [approval.elicitation.inputKey]: approval.answer },
    requestState: approval.elicitation.requestState,
    ...(approval.decidedBy ? { meta: { [ANSWERED_BY_META_KEY]: approval.decidedBy } } : {}),
  };
  let result: ToolResultPart;
  try {
    const outcome = await pRetry(() => connection.callTool(call, request), {
      retries: options.retries ?? 2,
      minTimeout: options.minTimeoutMs ?? 200,
    });
    if (outcome.type === 'input_required') return { type: 'input_required', call, input: outcome.input };
    result = outcome.result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result = {
      type: 'tool-result',
      callId: call.id,
      name: call.name,
      output: `The service did not answer ${call.name} (${reason}); nothing was changed. The customer may ask again later.`,
      isError: true,
    };
  }
  return {
    type: 'result',
    call,
    result,
    messages: [
      { role: 'assistant', content: [call] },
      { role: 'tool', content: [result] },
    ],
  };
}

/** The tool's answer in words, kept as the approval's outcome. */
export function outcomeText(result: ToolResultPart): string {
  const structured = result.structured as { message?: unknown } | undefined;
  return typeof structured?.message === 'string' ? structured.message : result.output.slice(0, 500);
}
