import type { McpHttpApp } from '@algorhythm/mcp-kit/http';
import type { FetchLike } from '@modelcontextprotocol/client';

/** What the host's MCP clients address an in-process service as; nothing listens there. */
export const IN_PROCESS_URL = 'http://localhost/mcp';

export interface InProcessService {
  /** The SDK client's fetch: each request answered by the service's HTTP face, no socket. */
  fetch: FetchLike;
  /** Opens the service now (start-up) rather than at its first request. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An MCP service inside the host (`openInProcessCatalog` / `openInProcessSupport`): opened once, at start-up or first
 * use (a failed open is tried again at the next), and closed with the host.
 */
export function inProcessService(open: () => Promise<McpHttpApp>): InProcessService {
  let app: Promise<McpHttpApp> | undefined;
  const opened = () =>
    (app ??= open().catch((error: unknown) => {
      app = undefined;
      throw error;
    }));
  return {
    async fetch(url, init) {
      // The services' DNS-rebinding guard reads Host, which a Request built in-process does not carry.
      const headers = new Headers(init?.headers);
      headers.set('host', 'localhost');
      return (await opened()).fetch(new Request(url, { ...init, headers }));
    },
    open: async () => void (await opened()),
    async close() {
      const running = app;
      app = undefined;
      await (await running?.catch(() => undefined))?.close();
    },
  };
}
