import type { RequestStateCodec } from '@modelcontextprotocol/server';
import type { CustomerResolver } from '../customers/customer-binding.ts';
import type { ApprovalState } from '../refunds/approval-state.ts';
import type { SupportStore } from '../store/support-store.ts';
import type { Logger, ToolCallInstrument } from '@algorhythm/mcp-kit/tools';

/** What the tools need, passed down explicitly from `createSupportServer`. */
export type ToolDeps = {
  /** Every read and write of account data: SQLite or PostgreSQL behind one async interface. */
  store: SupportStore;
  codec: RequestStateCodec<ApprovalState>;
  resolveCustomer: CustomerResolver;
  clock: () => Date;
  approvalTtlSeconds: number;
  log: Logger;
  /** Wraps each tool call (the span; tool-call-spans.ts); main.ts sets it when telemetry is on. */
  instrument?: ToolCallInstrument | undefined;
};
