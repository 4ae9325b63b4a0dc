/**
 * An error whose message is written for the model and the customer (no internals). Tool handlers
 * throw it; `defineTool` turns it into an `isError` result with exactly this text. Anything else a
 * handler throws is logged to stderr and answered with a generic message.
 */
export class ToolError extends Error {
  readonly kind = 'tool-error';
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export const invoiceNotFound = (invoiceId: number) =>
  new ToolError(`Invoice ${invoiceId} was not found on your account.`);
