import type { Logger } from '../logger.ts';

/** Every line as `name: line` on stderr: over stdio, stdout carries the protocol. */
export function stderrLogger(name: string): Logger {
  return (line) => process.stderr.write(`${name}: ${line}\n`);
}

/** SDK transport errors can be multi-kilobyte zod dumps (a non-JSON-RPC line on stdin): one short line is enough. */
export function oneLine(message: string, max = 300): string {
  const line = message.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
