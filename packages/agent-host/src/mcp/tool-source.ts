import type { McpConnection } from './mcp-connection.ts';
import type { ToolSource } from './types.ts';

/**
 * A ToolSource over one connection. A failure to reach the server (crashed child, timeout) becomes an
 * error result the model can read and report, never an exception that kills the turn.
 */
export function toolSourceOf(server: ToolSource['server'], connection: McpConnection): ToolSource {
  return {
    server,
    listTools: () => connection.listTools(),
    async callTool(call, options) {
      try {
        return await connection.callTool(call, options);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          type: 'result',
          result: {
            type: 'tool-result',
            callId: call.id,
            name: call.name,
            output: `The ${server} service could not complete ${call.name} (${reason}). It has been restarted; please try again.`,
            isError: true,
          },
        };
      }
    },
  };
}
