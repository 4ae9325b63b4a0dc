import type { Context } from 'hono';
import { html } from 'hono/html';

/**
 * A browser sign-in (a redirect flow) that failed: a small page saying why, with a way back, and the status
 * an API would answer. Nothing was created.
 */
export function signInProblem(c: Context, status: 400 | 401 | 403 | 429, message: string, retry = '/') {
  return c.html(
    html`<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Sign-in problem · Algorhythm</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
<h1>Sign-in problem</h1><p role="alert">${message}</p><p><a href="${retry}">Back to Algorhythm</a></p></body></html>`,
    status,
  );
}
