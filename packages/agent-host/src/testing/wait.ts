/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Polls `/readyz` until it answers 200 and returns its checks: right after start-up a replica may still be
 * starting its MCP services, and says so with a 503, as a balancer's health check expects.
 */
export async function waitForReady(baseUrl: string, timeoutMs = 30_000): Promise<Record<string, string>> {
  return waitFor(async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    const body = (await response.json()) as { checks: Record<string, string> };
    return response.status === 200 ? body.checks : undefined;
  }, timeoutMs);
}
