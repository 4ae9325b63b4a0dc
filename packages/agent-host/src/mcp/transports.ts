import { fileURLToPath } from 'node:url';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export const catalogEntry = () => fileURLToPath(import.meta.resolve('@algorhythm/catalog-mcp/main'));
export const supportEntry = () => fileURLToPath(import.meta.resolve('@algorhythm/support-mcp/main'));

/**
 * The SDK probes a pinned 2026-07-28 server on a throwaway sibling process when given its own base
 * StdioClientTransport; a subclass is probed in place, so each child is spawned once.
 */
class InPlaceStdioTransport extends StdioClientTransport {}

/** A server of ours as a child process over stdio, run by this same Node binary. */
export function stdioTransport(entry: string, args: string[], env: Record<string, string>): Transport {
  return new InPlaceStdioTransport({
    command: process.execPath,
    args: [entry, ...args],
    // Only the safe defaults (PATH, HOME…) and what we pass: model keys never reach the children.
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'inherit',
  });
}

export function httpTransport(url: string, token?: () => Promise<string>): Transport {
  return new StreamableHTTPClientTransport(new URL(url), token ? { authProvider: { token } } : {});
}
