/**
 * An error whose message is written for the model and the user (no internals). Tool handlers throw it;
 * `defineTool` answers it with an `isError` result carrying exactly this text. Anything else a handler
 * throws is logged and answered with a generic message.
 */
export class ToolError extends Error {
  readonly kind = 'tool-error';
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
