import type { RelayTarget } from './relay-target.ts';

export interface OtlpRelay {
  /** Sends an OTLP request body on as received (content type and encoding kept); never throws. */
  forward(body: Uint8Array, headers: { contentType: string; contentEncoding: string | undefined }): void;
}

/**
 * Passes the children's OTLP requests on to the configured endpoint, so a collector (Grafana) gets
 * every process's spans as before the host kept them. Fire and forget: a slow or failing collector
 * never holds up the children's export; failures are logged at most once a minute.
 */
export function createOtlpRelay(target: RelayTarget, log: (line: string) => void, timeoutMs = 10_000): OtlpRelay {
  let lastComplaint = 0;
  const complain = (what: string) => {
    if (Date.now() - lastComplaint < 60_000) return;
    lastComplaint = Date.now();
    log(`traces: could not relay spans to ${target.url}: ${what}`);
  };
  return {
    forward(body, { contentType, contentEncoding }) {
      const headers: Record<string, string> = { ...target.headers, 'content-type': contentType };
      if (contentEncoding) headers['content-encoding'] = contentEncoding;
      fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) })
        .then(async (response) => {
          await response.arrayBuffer().catch(() => {});
          if (!response.ok) complain(`HTTP ${response.status}`);
        })
        .catch((error: unknown) => complain(error instanceof Error ? error.message : String(error)));
    },
  };
}
