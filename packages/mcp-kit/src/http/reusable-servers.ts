import type { McpServer } from '@modelcontextprotocol/server';

/** An `McpServerFactory` for `createMcpHandler` that reuses idle instances (see `reusableServers`). */
export type ReusingFactory = ((context?: { era?: 'legacy' | 'modern' }) => McpServer) & {
  /** Instances built so far (for tests and diagnostics). */
  built: () => number;
  /** Idle instances waiting for the next request. */
  idle: () => number;
};

/**
 * Hands `createMcpHandler` an idle, already-built server for each 2026-07-28 request instead of a new one.
 *
 * Why: building an `McpServer` registers every tool, which converts each output schema from zod to JSON Schema,
 * and the HTTP entry converts the called tool's input schema again per instance (`toolInputSchemaJson`): most of
 * a small tool call's server CPU. The SDK only forbids handing out an instance that is still serving another
 * exchange (`assertNotServing`); a modern exchange reseeds the protocol version and the client's identity from the
 * request's own envelope, and the customer travels per message (`ctx.http.authInfo`), so an instance whose
 * exchange has closed is as good as new. So: one instance per request in flight, kept for the next one.
 *
 * 2025-era requests (the stateless legacy fallback, which runs an `initialize` handshake on the instance) always
 * get a fresh instance: nothing of one legacy exchange can reach another.
 */
export function reusableServers(createServer: () => McpServer, { maxIdle = 64 }: { maxIdle?: number } = {}): ReusingFactory {
  const idle: McpServer[] = [];
  let built = 0;

  const fresh = () => {
    built++;
    return createServer();
  };

  const factory = (context?: { era?: 'legacy' | 'modern' }): McpServer => {
    if (context?.era === 'legacy') return fresh();
    const server = idle.pop() ?? fresh();
    // `createMcpHandler` chains its own close hook in front of this one and restores it afterwards: this runs
    // once the exchange's transport is gone (the SDK clears it before `onclose`), so the instance is free again.
    // An instance the SDK drops without connecting (a refused request) never calls back and is just collected.
    server.server.onclose = () => {
      server.server.onclose = undefined;
      if (idle.length < maxIdle) idle.push(server);
    };
    return server;
  };
  return Object.assign(factory, { built: () => built, idle: () => idle.length });
}
