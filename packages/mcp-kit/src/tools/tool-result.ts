import type { CallToolResult } from '@modelcontextprotocol/server';

/** A successful result: the contract's `structuredContent` plus a readable text for text-only clients. */
export function okResult(structuredContent: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}

/** A tool error the model sees and can recover from (MCP: errors are results, not protocol failures). */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
