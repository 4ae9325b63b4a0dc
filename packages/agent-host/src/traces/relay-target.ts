/** Where the children's spans go on from the host when an OTLP endpoint is configured (Grafana). */
export interface RelayTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * The host's own OTLP traces destination, read from the standard variables the way the SDK reads them
 * (per-signal endpoint as given, else the base endpoint plus `/v1/traces`; headers merged, per-signal
 * winning). Undefined when spans are not exported over OTLP.
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/#endpoint-urls-for-otlphttp
 */
export function relayTarget(env: Record<string, string | undefined>): RelayTarget | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (exporters.length > 0 && !exporters.includes('otlp')) return undefined;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = signal || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url) return undefined;
  return {
    url,
    headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
  };
}

/** `key=value,key2=value2`, percent-encoded values (the W3C baggage format the SDK uses). */
function parseHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, at).trim()).toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed pair is skipped, as the SDK does.
    }
  }
  return out;
}
