import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address a request came from, for per-IP limits. With `trustedProxies` = 0 it is the socket's peer, and
 * X-Forwarded-For is ignored: anyone can send that header. With N proxies in front, each appends the address
 * it saw, so the client is the Nth entry from the right (counting the socket's peer as the last proxy);
 * entries further left were written by the client and prove nothing.
 */
export function clientIp(c: Context, trustedProxies: number): string {
  const peer = socketAddress(c);
  if (trustedProxies === 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
