import type { RequestStateCodec } from '@modelcontextprotocol/server';
import type { CustomerResolver } from '../customers/customer-binding.ts';
import type { SupportDb } from '../db/open-db.ts';
import type { ApprovalState } from '../refunds/approval-state.ts';
import type { RefundLedger } from '../refunds/refund-ledger.ts';
import type { Logger, ToolCallInstrument } from '@algorhythm/mcp-kit/tools';

/** What the tools need, passed down explicitly from `createSupportServer`. */
export type ToolDeps = {
  db: SupportDb;
  ledger: RefundLedger;
  codec: RequestStateCodec<ApprovalState>;
  resolveCustomer: CustomerResolver;
  clock: () => Date;
  approvalTtlSeconds: number;
  log: Logger;
  /** Wraps each tool call (the span; tool-call-spans.ts); main.ts sets it when telemetry is on. */
  instrument?: ToolCallInstrument | undefined;
};
