import { createParser } from 'eventsource-parser';

/** Reads an SSE response body and calls `onEvent` for each event (eventsource-parser does the framing). */
export async function readSse(
  response: Response,
  onEvent: (event: string, data: unknown) => void | 'stop',
): Promise<void> {
  if (!response.body) return;
  let stop = false;
  const parser = createParser({
    onEvent(message) {
      if (stop) return;
      if (onEvent(message.event ?? 'message', JSON.parse(message.data)) === 'stop') stop = true;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!stop) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
