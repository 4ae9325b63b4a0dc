import { jsonRpcError } from './json-rpc-error.ts';
import { MAX_REQUEST_BODY_BYTES } from './mcp-http-app.ts';
import { payloadTooLarge } from './middleware/declared-body-limit.ts';

export type BodyRead = { forward: Request; parsedBody: unknown } | { response: Response };

const unreadable = () => jsonRpcError(400, -32700, 'Parse error: the request body could not be read');

/**
 * A POST's body, read once within the size limit and parsed, so that whatever routes the request (era checks,
 * sessions) and the SDK that serves it do not each read and parse it again. A JSON body comes back parsed, with the
 * request (its stream now used: nothing reads it again once `parsedBody` is given); a body that is not JSON comes back
 * unparsed, on a copy that still carries its text, so the SDK answers it exactly as before. Too large: 413;
 * unreadable: 400 (the SDK's own answers). Anything but a POST passes through unread.
 */
export async function readBodyOnce(request: Request, maxBytes = MAX_REQUEST_BODY_BYTES): Promise<BodyRead> {
  if (request.method !== 'POST') return { forward: request, parsedBody: undefined };
  // A declared length within the limit (the HTTP parser holds the body to exactly that length): read it whole, which
  // on a socket is the node adapter's direct read (no web stream, no full `Request`). Otherwise chunk by chunk, bounded.
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= maxBytes) {
    let whole: string;
    try {
      whole = await request.text();
    } catch {
      return { response: unreadable() };
    }
    return parsed(request, whole);
  }
  if (request.body === null) return { forward: request, parsedBody: undefined };
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        void reader.cancel().catch(() => {});
        return { response: payloadTooLarge(maxBytes) };
      }
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  } catch {
    return { response: unreadable() };
  }
  return parsed(request, text);
}

function parsed(request: Request, text: string): BodyRead {
  try {
    if (text.length > 0) return { forward: request, parsedBody: JSON.parse(text) as unknown };
  } catch {
    // not JSON: the SDK's own answer
  }
  return { forward: new Request(request.url, { method: 'POST', headers: request.headers, body: text }), parsedBody: undefined };
}
