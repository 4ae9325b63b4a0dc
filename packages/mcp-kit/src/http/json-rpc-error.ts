/** An HTTP answer in the protocol's own error shape, for requests that never reach an MCP server. */
export function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}
