import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** The target's URL with this proxy's host and port. */
  url: URL;
  close(): Promise<void>;
}

/**
 * A pass-through on 127.0.0.1 that adds `Authorization: Bearer <token>` to every request: for clients that cannot
 * send a header of their own (the conformance CLI). Everything else is forwarded as sent (Host and Origin too, so
 * the target's DNS-rebinding checks still see the client's values), and responses stream back unbuffered (SSE).
 */
export async function startBearerProxy({ target, token }: { target: string | URL; token: string }): Promise<BearerProxy> {
  const to = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      { host: to.hostname, port: to.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, authorization: `Bearer ${token}` } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (outgoing.headersSent) outgoing.destroy();
      else outgoing.writeHead(502).end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(to);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
