import type { McpConnection } from './mcp-connection.ts';
import { toolSourceOf } from './tool-source.ts';
import type { ToolSource } from './types.ts';

interface Entry {
  connection: McpConnection;
  source: ToolSource;
  lastUsed: number;
}

export interface SupportPool {
  /** The support tools bound to one customer: the binding lives in the connection, never in arguments. */
  forCustomer(customerId: number): ToolSource;
  connectionFor(customerId: number): McpConnection;
  /** Closes connections idle longer than the idle limit. */
  reap(now?: number): Promise<number>;
  close(): Promise<void>;
}

export function createSupportPool(options: {
  connect: (customerId: number) => McpConnection;
  idleMs: number;
  maxSize: number;
}): SupportPool {
  const entries = new Map<number, Entry>();

  const entryFor = (customerId: number): Entry => {
    let entry = entries.get(customerId);
    if (!entry) {
      if (entries.size >= options.maxSize) evictOldest();
      const connection = options.connect(customerId);
      entry = { connection, source: toolSourceOf('support', connection), lastUsed: Date.now() };
      entries.set(customerId, entry);
    }
    entry.lastUsed = Date.now();
    return entry;
  };

  const evictOldest = () => {
    let oldest: [number, Entry] | undefined;
    for (const pair of entries) if (!oldest || pair[1].lastUsed < oldest[1].lastUsed) oldest = pair;
    if (!oldest) return;
    entries.delete(oldest[0]);
    void oldest[1].connection.close();
  };

  return {
    forCustomer: (customerId) => entryFor(customerId).source,
    connectionFor: (customerId) => entryFor(customerId).connection,
    async reap(now = Date.now()) {
      const idle = [...entries].filter(([, entry]) => now - entry.lastUsed > options.idleMs);
      for (const [customerId] of idle) entries.delete(customerId);
      await Promise.all(idle.map(([, entry]) => entry.connection.close()));
      return idle.length;
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((entry) => entry.connection.close()));
    },
  };
}
