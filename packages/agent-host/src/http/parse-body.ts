import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** Reads and validates a JSON body: malformed JSON 400, over the limit 413, schema failures 400 with the reason. */
export async function parseBody<S extends z.core.$ZodType>(c: Context, schema: S, maxBytes = 16 * 1024): Promise<z.infer<S>> {
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError('too_large', `Request body is larger than ${maxBytes} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Malformed JSON body.');
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request', `Invalid request: ${where}${issue?.message ?? 'bad input'}`);
  }
  return parsed.data;
}
