import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FetchLike, Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CATALOG_MAIN, CATALOG_SNAPSHOT } from '@algorhythm/catalog-mcp/launch';
import { snapshotState } from '@algorhythm/startup-snapshot/launch';
import { SUPPORT_MAIN, SUPPORT_SNAPSHOT } from '@algorhythm/support-mcp/launch';

export const catalogEntry = () => CATALOG_MAIN;
export const supportEntry = () => SUPPORT_MAIN;

export type ServerStart = { from: 'snapshot'; nodeArgs: string[] } | { from: 'source'; nodeArgs: string[]; why: string };

/**
 * How `node` starts one of our servers over stdio: from its startup snapshot when one is built for this
 * Node and these sources (`pnpm build`), else from source.
 */
export function serverStart(server: 'catalog' | 'support'): ServerStart {
  const [spec, main] = server === 'catalog' ? [CATALOG_SNAPSHOT, CATALOG_MAIN] : [SUPPORT_SNAPSHOT, SUPPORT_MAIN];
  const state = snapshotState(spec);
  return state.fresh ? { from: 'snapshot', nodeArgs: state.nodeArgs } : { from: 'source', nodeArgs: [main], why: state.why };
}

/**
 * The SDK probes a pinned 2026-07-28 server on a throwaway sibling process when given its own base
 * StdioClientTransport; a subclass is probed in place, so each child is spawned once.
 */
class InPlaceStdioTransport extends StdioClientTransport {}

/** A server of ours as a child process over stdio, run by this same Node binary (`nodeArgs`: serverStart). */
export function stdioTransport(nodeArgs: string[], args: string[], env: Record<string, string>): Transport {
  return new InPlaceStdioTransport({
    command: process.execPath,
    args: [...nodeArgs, ...args],
    // Only the safe defaults (PATH, HOME…) and what we pass: model keys never reach the children.
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'inherit',
  });
}

export function httpTransport(url: string, token?: () => Promise<string>, fetch?: FetchLike): Transport {
  return new StreamableHTTPClientTransport(new URL(url), { ...(token ? { authProvider: { token } } : {}), ...(fetch ? { fetch } : {}) });
}
