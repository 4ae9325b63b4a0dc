export { createMcpHttpApp, MCP_PATH, MAX_REQUEST_BODY_BYTES, type McpEndpoint, type McpHttpApp, type McpHttpAppOptions } from './mcp-http-app.ts';
export { statelessEndpoint } from './stateless-endpoint.ts';
export { serveHttp, type RunningHttpServer, type ServeHttpOptions } from './serve-http.ts';
export { defaultAllowedHosts } from './allowed-hosts.ts';
export { jsonRpcError } from './json-rpc-error.ts';
export { reusableServers, type ReusingFactory } from './reusable-servers.ts';
export { readBodyOnce, type BodyRead } from './read-body.ts';
