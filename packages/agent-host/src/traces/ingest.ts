import { randomBytes } from 'node:crypto';

/** The bearer token the host's `/v1/traces` asks for, minted at each start and known only to its children. */
export function mintIngestToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * OTEL_* settings for the MCP servers the host spawns: their spans come to the host's `/v1/traces`
 * with its token (traces only; metrics keep the configured endpoint, if any). The per-signal variables
 * win over OTEL_EXPORTER_OTLP_ENDPOINT/_HEADERS in the SDK, so a Grafana endpoint set for everything
 * still gets metrics directly and the children's spans through the host's relay.
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/
 */
export function childTraceEnv(hostUrl: string, token: string, inherited: Record<string, string>): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${hostUrl}/v1/traces`,
    // Header values are percent-decoded by the SDK (W3C baggage format), hence %20.
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: `authorization=Bearer%20${token}`,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    // A turn's server spans show up within a second, not the SDK's default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: inherited.OTEL_BSP_SCHEDULE_DELAY ?? '1000',
  };
}
