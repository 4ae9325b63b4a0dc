import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';

export interface DnsRebindingGuardOptions {
  /** Host header hostnames accepted (no ports; IPv6 in brackets). Default: localhost, 127.0.0.1, [::1]. */
  allowedHosts?: string[];
  /** Origin hostnames accepted when a browser sends Origin. Default: the localhost set. */
  allowedOrigins?: string[];
}

/**
 * A page on evil.example whose name resolves to 127.0.0.1 still sends its own Host and Origin: both are
 * checked on every request, whatever the path, and refused with 403 (the answer returned; `undefined`: go on).
 */
export function dnsRebindingGuard({
  allowedHosts = localhostAllowedHostnames(),
  allowedOrigins = localhostAllowedOrigins(),
}: DnsRebindingGuardOptions = {}): (request: Request) => Response | undefined {
  return function dnsRebindingGuard(request) {
    return hostHeaderValidationResponse(request, allowedHosts) ?? originValidationResponse(request, allowedOrigins);
  };
}
