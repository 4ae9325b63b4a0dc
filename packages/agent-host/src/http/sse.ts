import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Hub } from '../events/hub.ts';

const KEEPALIVE_MS = 15_000;

/** Streams a hub topic as SSE until the client leaves or the server shuts down. */
export function streamTopic<E>(
  c: Context,
  options: { hub: Hub<E>; topic: string; encode: (event: E) => { event: string; data: string }; shutdown: AbortSignal },
) {
  return streamSSE(c, async (stream) => {
    const unsubscribe = options.hub.subscribe(options.topic, (event) => {
      void stream.writeSSE(options.encode(event));
    });
    const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
    await stream.write(': connected\n\n');
    await new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      options.shutdown.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(keepalive);
    unsubscribe();
  });
}
