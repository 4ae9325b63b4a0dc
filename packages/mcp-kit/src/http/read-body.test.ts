import { describe, expect, it } from 'vitest';
import { readBodyOnce } from './read-body.ts';

const url = 'http://127.0.0.1/mcp';
const chunked = (parts: string[]) =>
  new Request(url, {
    method: 'POST',
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);

describe('readBodyOnce', () => {
  it('parses a JSON body with a declared length, and one sent in chunks', async () => {
    const declared = await readBodyOnce(new Request(url, { method: 'POST', headers: { 'content-length': '11' }, body: '{"a":[1,2]}' }));
    expect(declared).toMatchObject({ parsedBody: { a: [1, 2] } });
    expect(await readBodyOnce(chunked(['{"b":', 'true}']))).toMatchObject({ parsedBody: { b: true } });
  });

  it('refuses more than the limit with 413, counting what arrives when no length is declared', async () => {
    const read = await readBodyOnce(chunked(['x'.repeat(600), 'y'.repeat(600)]), 1000);
    expect('response' in read && read.response.status).toBe(413);
    expect('response' in read && (await read.response.json())).toMatchObject({ error: { code: -32000, message: 'Payload Too Large: Request body must not exceed 1000 bytes' } });
  });

  it('hands a body that is not JSON on unparsed, still readable; leaves anything but a POST unread', async () => {
    const read = await readBodyOnce(new Request(url, { method: 'POST', headers: { 'content-length': '8' }, body: 'not json' }));
    expect('forward' in read && read.parsedBody).toBeUndefined();
    expect('forward' in read && (await read.forward.text())).toBe('not json');
    const get = new Request(url);
    expect(await readBodyOnce(get)).toEqual({ forward: get, parsedBody: undefined });
  });
});
