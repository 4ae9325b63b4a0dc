export { ToolError } from './tool-error.ts';
export { okResult, errorResult } from './tool-result.ts';
export {
  defineTool,
  type ToolCallInstrument,
  type ToolHandler,
  type ToolOutcome,
  type ToolRuntime,
  type ToolSpec,
} from './define-tool.ts';
export type { Logger } from '../logger.ts';
