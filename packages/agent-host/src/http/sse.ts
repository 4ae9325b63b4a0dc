import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Hub } from '../events/hub.ts';

const KEEPALIVE_MS = 15_000;

/**
 * The event id a reconnecting browser last saw: EventSource sends `Last-Event-ID` by itself; a page that had to
 * open a new EventSource passes `?lastEventId=`. Absent or malformed: no replay.
 */
export function lastEventId(c: Context): number | undefined {
  const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (!raw || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/**
 * Streams a hub topic as SSE until the client leaves or the server shuts down; each frame carries the event's
 * id. With a `Last-Event-ID`, the topic's events after it are replayed first (from the event table on
 * PostgreSQL, so the browser may have moved from another replica): subscribed before the replay is read, live
 * events arriving meanwhile are held, and any the replay already sent are skipped, so nothing is missed or
 * sent twice.
 */
export function streamTopic<E>(
  c: Context,
  options: { hub: Hub<E>; topic: string; encode: (event: E) => { event: string; data: string }; shutdown: AbortSignal },
) {
  const after = lastEventId(c);
  return streamSSE(c, async (stream) => {
    const send = (event: E, id: number) => void stream.writeSSE({ ...options.encode(event), id: String(id) });
    let held: Array<[E, number]> | undefined = after === undefined ? undefined : [];
    let sentUpTo = 0;
    const unsubscribe = options.hub.subscribe(options.topic, (event, id) => {
      if (held) held.push([event, id]);
      else if (id > sentUpTo) send(event, id);
    });
    const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
    await stream.write(': connected\n\n');
    if (after !== undefined) {
      try {
        for (const { id, event } of await options.hub.since(options.topic, after)) {
          send(event, id);
          sentUpTo = id;
        }
      } catch {
        // The replay is best effort (the database may be down): live events still flow.
      }
      for (const [event, id] of held ?? []) {
        if (id <= sentUpTo) continue;
        send(event, id);
        sentUpTo = id;
      }
      held = undefined;
    }
    await new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      options.shutdown.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(keepalive);
    unsubscribe();
  });
}
