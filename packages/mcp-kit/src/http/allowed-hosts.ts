import { localhostAllowedHostnames } from '@modelcontextprotocol/server';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Accepted Host names: the localhost set, plus the bound host when it is a specific non-loopback name. */
export function defaultAllowedHosts(host: string): string[] {
  const hosts = localhostAllowedHostnames();
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (!LOOPBACK.has(host) && host !== '0.0.0.0' && host !== '::') hosts.push(bracketed);
  return hosts;
}
