import type { ChatModel } from '../model/types.ts';
import type { CustomerDirectory } from '../customers/directory.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { Hub } from '../events/hub.ts';
import type { McpConnection } from '../mcp/mcp-connection.ts';
import type { SupportPool } from '../mcp/support-pool.ts';
import type { ToolSource } from '../mcp/types.ts';
import type { Role } from '@algorhythm/web/schemas';
import type { ApprovalRecord, Store } from '../store/types.ts';
import type { AgentTracing } from '../telemetry/agent-tracing.ts';

export type { Role };

/** Everything a turn needs, passed down from the composition root. */
export interface AssistantDeps {
  store: Store;
  models: Record<Role, ChatModel>;
  catalog: ToolSource;
  /** The catalog's connection itself, for answering an approval its tool asked for. */
  catalogConnection: McpConnection;
  support: SupportPool;
  directory: CustomerDirectory;
  conversationEvents: Hub<ChatEvent>;
  approvalEvents: Hub<ApprovalRecord>;
  tracing: AgentTracing;
  clock: () => Date;
  newId: () => string;
  maxSteps: number;
  approvalTtlMs: number;
  withLock: <T>(key: string, task: () => Promise<T>) => Promise<T>;
  log: (line: string) => void;
}
