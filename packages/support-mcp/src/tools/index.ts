import type { McpServer } from '@modelcontextprotocol/server';
import { registerChangeEmailTool } from './change-email.ts';
import type { ToolDeps } from './deps.ts';
import { registerGetCustomerProfileTool } from './get-customer-profile.ts';
import { registerGetInvoiceTool } from './get-invoice.ts';
import { registerProcessRefundTool } from './process-refund.ts';

export function registerTools(server: McpServer, deps: ToolDeps): void {
  registerGetCustomerProfileTool(server, deps);
  registerGetInvoiceTool(server, deps);
  registerProcessRefundTool(server, deps);
  registerChangeEmailTool(server, deps);
}
