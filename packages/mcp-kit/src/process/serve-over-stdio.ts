import type { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../logger.ts';
import { oneLine } from './stderr-logger.ts';

/** Serves both protocol eras on stdin/stdout, one server per connection; transport errors become one log line. */
export function serveOverStdio(createServer: () => McpServer, log: Logger): () => Promise<void> {
  const handle = serveStdio(createServer, { onerror: (error) => log(`stdio: ${oneLine(error.message)}`) });
  return () => handle.close();
}
