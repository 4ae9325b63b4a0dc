import { McpServer } from '@modelcontextprotocol/server';
import type { CustomerResolver } from './customers/customer-binding.ts';
import { createApprovalStateCodec } from './refunds/approval-state.ts';
import { openSupportStore, type SupportDatabase } from './store/open-store.ts';
import type { Logger, ToolCallInstrument } from '@algorhythm/mcp-kit/tools';
import type { ToolDeps } from './tools/deps.ts';
import { registerTools } from './tools/index.ts';

export const SERVER_INFO = { name: 'algorhythm-support', version: '0.1.0' } as const;
export const DEFAULT_APPROVAL_TTL_SECONDS = 86_400;

export type SupportDepsOptions = {
  /** The working SQLite copy, or PostgreSQL shared by replicas (`PostgresDb`, prepared: Chinook loaded, migrated). */
  db: SupportDatabase;
  /** Who the request acts for: `fixedCustomer(id)` over stdio, `customerFromAuthInfo` over HTTP. */
  resolveCustomer: CustomerResolver;
  /** HMAC key for the approval `requestState` (at least 32 bytes); every process on this db must share it. */
  requestStateKey: string;
  approvalTtlSeconds?: number;
  clock?: () => Date;
  log?: Logger;
  /** Wraps each tool call (the `tools/call` span: `toolCallSpans`); absent, calls run bare. */
  instrument?: ToolCallInstrument;
};

export type SupportDeps = ToolDeps;

/** Builds the long-lived pieces once (store, codec), so per-request server instances stay cheap. */
export function createSupportDeps(options: SupportDepsOptions): SupportDeps {
  const clock = options.clock ?? (() => new Date());
  const approvalTtlSeconds = options.approvalTtlSeconds ?? DEFAULT_APPROVAL_TTL_SECONDS;
  return {
    store: openSupportStore(options.db, clock),
    codec: createApprovalStateCodec({
      key: options.requestStateKey,
      approvalTtlSeconds,
      resolveCustomer: options.resolveCustomer,
    }),
    resolveCustomer: options.resolveCustomer,
    clock,
    approvalTtlSeconds,
    log: options.log ?? ((line) => console.error(line)),
    instrument: options.instrument,
  };
}

/**
 * One MCP server instance with the three support tools. Serving entries call this per connection
 * (stdio) or per request (HTTP); everything stateful lives in `deps` and the database.
 */
export function createSupportServer(deps: SupportDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions:
      'Customer support tools for the Algorhythm music store, scoped to one customer per connection. ' +
      'Refunds and email changes need a human approval, which this server asks for through elicitation.',
    requestState: { verify: deps.codec.verify },
    // Our tools take at most two scalar arguments; refuse giant argument trees before validation.
    maxToolInputElements: 64,
  });
  registerTools(server, deps);
  return server;
}
