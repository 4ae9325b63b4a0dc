/** `server.address`/`server.port` for telemetry, from the base URL the adapter really calls. */
export function endpointOf(baseURL: string): { address: string; port: number } | undefined {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { address: url.hostname.replace(/^\[|\]$/g, ''), port };
}
