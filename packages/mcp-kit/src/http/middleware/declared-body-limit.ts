import { jsonRpcError } from '../json-rpc-error.ts';

/**
 * Refuses a declared Content-Length over the limit without touching the body (the SDK applies the same limit to
 * the bodies it reads, chunked ones included). Why not leave it to the SDK: it opens the body stream before it
 * refuses, and the node adapter cannot then discard the unread rest, so the kept-alive connection is dropped
 * under the client's next request. Unread, the rest is discarded and the connection stays usable.
 */
export function declaredBodyLimit({ maxBytes }: { maxBytes: number }): (request: Request) => Response | undefined {
  return function declaredBodyLimit(request) {
    return Number(request.headers.get('content-length')) > maxBytes ? payloadTooLarge(maxBytes) : undefined;
  };
}

/** The answer to a body over the limit, declared or found while reading (`readBodyOnce`): the SDK's own wording. */
export const payloadTooLarge = (maxBytes: number): Response =>
  jsonRpcError(413, -32000, `Payload Too Large: Request body must not exceed ${maxBytes} bytes`);
