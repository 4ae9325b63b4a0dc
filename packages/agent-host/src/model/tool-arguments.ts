import { BadResponseError } from './errors.ts';

/** Parses a tool call's JSON arguments: empty means `{}`; anything but a JSON object is a bad response. */
export function parseToolArguments(text: string, toolName: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadResponseError(`arguments of tool call ${toolName} are not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadResponseError(`arguments of tool call ${toolName} are not a JSON object`);
  }
  return value as Record<string, unknown>;
}
