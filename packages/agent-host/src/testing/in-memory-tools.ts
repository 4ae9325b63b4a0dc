import type { McpConnection } from '../mcp/mcp-connection.ts';
import type { CallOptions, ToolCallOutcome, ToolCallRequest, ToolSource } from '../mcp/types.ts';
import type { ToolDefinition } from '../model/types.ts';

export interface InMemoryTool {
  definition: ToolDefinition;
  call(request: ToolCallRequest, options: CallOptions): ToolCallOutcome;
}

/** An MCP server's tools in the test process: the ToolSource a loop uses and the connection an answer goes to. */
export function inMemoryServer(server: ToolSource['server'], tools: InMemoryTool[]) {
  const calls: Array<{ request: ToolCallRequest; options: CallOptions }> = [];
  const call = async (request: ToolCallRequest, options: CallOptions = {}): Promise<ToolCallOutcome> => {
    calls.push({ request, options });
    const tool = tools.find((t) => t.definition.name === request.name);
    if (!tool) return { type: 'result', result: { type: 'tool-result', callId: request.id, name: request.name, output: 'no such tool', isError: true } };
    return tool.call(request, options);
  };
  const listTools = async () => tools.map((t) => t.definition);
  const source: ToolSource = { server, listTools, callTool: call };
  const connection: McpConnection = {
    listTools,
    callTool: call,
    ping: async () => {},
    describe: () => ({ protocolVersion: 'in-memory', transport: 'pipe' }),
    close: async () => {},
  };
  return { source, connection, calls };
}

export const plainTool = (name: string, answer: (args: Record<string, unknown>) => string): InMemoryTool => ({
  definition: { name, description: name, inputSchema: { type: 'object', properties: {} } },
  call: (request) => ({ type: 'result', result: { type: 'tool-result', callId: request.id, name, output: answer(request.arguments) } }),
});

/**
 * A tool that needs a person, as our servers do it: the first round asks with a form and sealed state; the second
 * applies an accepted answer once per state (a replay changes nothing) and reports what happened.
 */
export function gatedTool(name: string) {
  const applied: Array<{ state: string; arguments: Record<string, unknown>; content: unknown }> = [];
  let asked = 0;
  const tool: InMemoryTool = {
    definition: { name, description: name, inputSchema: { type: 'object', properties: { item: { type: 'string' } } } },
    call(request, options) {
      const item = String(request.arguments.item ?? '');
      if (!options.requestState) {
        asked++;
        return {
          type: 'input_required',
          input: {
            inputKey: 'confirm',
            message: `Confirm ${name} of ${item}?`,
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean', title: 'OK' }, note: { type: 'string', maxLength: 20 } }, required: ['ok'] },
            summary: { title: `${name} ${item}`, key: item },
            requestState: `state-${asked}`,
          },
        };
      }
      const answer = options.inputResponses?.confirm as { action: string; content?: { ok?: boolean } } | undefined;
      const done = answer?.action === 'accept' && answer.content?.ok === true;
      if (done && !applied.some((a) => a.state === options.requestState)) {
        applied.push({ state: options.requestState, arguments: request.arguments, content: answer.content });
      }
      return {
        type: 'result',
        result: { type: 'tool-result', callId: request.id, name, output: done ? `${item}: done` : `${item}: not done`, structured: { message: done ? `${item}: done` : `${item}: not done` } },
      };
    },
  };
  return { tool, applied };
}
