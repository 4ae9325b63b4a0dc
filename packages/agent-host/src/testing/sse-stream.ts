import { createParser } from 'eventsource-parser';

export interface StreamedEvent {
  id: number | undefined;
  event: string;
  data: Record<string, unknown>;
  /** `performance.now()` when it arrived. */
  at: number;
}

/**
 * An open SSE stream as a browser tab holds it: collects every event with its id until closed. `until` waits
 * for an event matching a test; `close` is the tab (or its replica) going away.
 */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const events: StreamedEvent[] = [];
  const waiters = new Set<() => void>();
  const parser = createParser({
    onEvent(message) {
      events.push({
        id: message.id === undefined ? undefined : Number(message.id),
        event: message.event ?? 'message',
        data: JSON.parse(message.data) as Record<string, unknown>,
        at: performance.now(),
      });
      for (const wake of waiters) wake();
    },
  });
  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** The response's headers (`X-Served-By` behind the balancer). */
    headers: response.headers,
    async until(test: (event: StreamedEvent) => boolean, timeoutMs = 10_000): Promise<StreamedEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          waiters.add(resolve);
          setTimeout(resolve, 100);
        }).finally(() => waiters.clear());
      }
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}
