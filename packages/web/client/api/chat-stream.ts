// POST /api/chat answers with text/event-stream. EventSource cannot POST, so: fetch + eventsource-parser.
import { createParser } from 'eventsource-parser';
import { errorFrom, networkError } from './http.ts';
import { parseChatEvent, type ChatEvent, type ChatRequest } from '../../src/api/schemas.ts';

export interface StreamChatOptions {
  request: ChatRequest;
  onEvent: (event: ChatEvent) => void;
  signal?: AbortSignal;
}

/**
 * Sends one message and calls `onEvent` for each event as it arrives.
 * Resolves when the stream ends; rejects with an ApiError when the request itself fails (HTTP error, network).
 */
export async function streamChat({ request, onEvent, signal }: StreamChatOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(request),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok || !response.body) throw await errorFrom(response);

  const parser = createParser({
    onEvent(message) {
      const event = safeParse(message.event ?? 'message', message.data);
      if (event) onEvent(event);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } catch (error) {
    throw networkError(error);
  } finally {
    reader.releaseLock();
  }
}

function safeParse(name: string, data: string): ChatEvent | undefined {
  try {
    return parseChatEvent(name, data);
  } catch (error) {
    console.warn(`Ignoring a malformed "${name}" event`, error);
    return undefined;
  }
}

export interface LiveStream {
  close(): void;
}

export interface LiveStreamHandlers<T> {
  onEvent: (event: T) => void;
  /** Called on every (re)connection; `reconnect` is true after the first, when events may have been missed. */
  onOpen?: (reconnect: boolean) => void;
  onStateChange?: (state: 'live' | 'reconnecting' | 'closed') => void;
}

/**
 * Subscribes to a GET SSE route with EventSource (it reconnects by itself).
 * `parse` turns an (event name, data) pair into a typed event, or undefined to skip it.
 */
export function subscribe<T>(
  url: string,
  eventNames: readonly string[],
  parse: (name: string, data: string) => T | undefined,
  handlers: LiveStreamHandlers<T>,
): LiveStream {
  const source = new EventSource(url, { withCredentials: true });
  let opened = false;
  source.addEventListener('open', () => {
    handlers.onStateChange?.('live');
    handlers.onOpen?.(opened);
    opened = true;
  });
  for (const name of eventNames) {
    source.addEventListener(name, (event) => {
      // A server `event: error` and a connection error share the 'error' type; only the former carries data.
      if (!(event instanceof MessageEvent) || typeof event.data !== 'string') return;
      try {
        const parsed = parse(name, event.data);
        if (parsed !== undefined) handlers.onEvent(parsed);
      } catch (error) {
        console.warn(`Ignoring a malformed "${name}" event`, error);
      }
    });
  }
  source.addEventListener('error', (event) => {
    if (event instanceof MessageEvent) return;
    handlers.onStateChange?.(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  });
  return { close: () => source.close() };
}
