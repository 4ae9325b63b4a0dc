import { createNoopMeter } from '@opentelemetry/api';
import { LIMIT } from '@algorhythm/telemetry';
import { Hono } from 'hono';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';
import { rateLimit } from './rate-limit.ts';
import { createRefuse, waitInWords } from './refusal.ts';

function appWith(limiter: RateLimiterAbstract, log: (line: string) => void = () => {}) {
  let reached = 0;
  const app = new Hono().post(
    '/thing',
    rateLimit({
      limiter,
      limit: LIMIT.messagesPerIp,
      key: (c) => c.req.header('x-who'),
      message: (seconds) => `Slow down: wait ${waitInWords(seconds)}.`,
      refuse: createRefuse(createNoopMeter()),
      log,
    }),
    (c) => {
      reached++;
      return c.json({ ok: true });
    },
  );
  return { app, reached: () => reached };
}

describe('rateLimit', () => {
  it('lets the allowed requests through, then answers 429 with Retry-After and the sentence, before the route', async () => {
    const { app, reached } = appWith(new RateLimiterMemory({ points: 2, duration: 30 }));
    const post = (who: string) => app.request('/thing', { method: 'POST', headers: { 'x-who': who } });
    expect((await post('a')).status).toBe(200);
    expect((await post('a')).status).toBe(200);
    const refused = await post('a');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(28);
    expect(await refused.json()).toEqual({ error: 'Slow down: wait 30 seconds.' });
    expect(reached()).toBe(2);
    expect((await post('b')).status).toBe(200);
  });

  it('lets requests through when its counter cannot be reached, and says so', async () => {
    const broken = { consume: () => Promise.reject(new Error('connection refused')) } as unknown as RateLimiterAbstract;
    const lines: string[] = [];
    const { app } = appWith(broken, (line) => lines.push(line));
    expect((await app.request('/thing', { method: 'POST', headers: { 'x-who': 'a' } })).status).toBe(200);
    expect(lines).toEqual(['limits: messages_per_ip not checked: connection refused']);
  });
});

describe('clientIp', () => {
  const ipApp = (trustedProxies: number) => new Hono().get('/', (c) => c.text(clientIp(c, trustedProxies)));
  const from = async (app: Hono, forwardedFor?: string) => {
    const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
    // What @hono/node-server passes as the environment: the Node request, with its socket.
    const response = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: '10.0.0.9' } } });
    return response.text();
  };

  it('is the socket’s peer unless proxies are trusted, whatever the client writes', async () => {
    expect(await from(ipApp(0), '203.0.113.1')).toBe('10.0.0.9');
  });

  it('behind N trusted proxies, is the Nth X-Forwarded-For entry from the right', async () => {
    expect(await from(ipApp(1), '198.51.100.7')).toBe('198.51.100.7');
    expect(await from(ipApp(1), 'spoofed, 198.51.100.7')).toBe('198.51.100.7');
    expect(await from(ipApp(2), 'spoofed, 198.51.100.7, 10.0.0.5')).toBe('198.51.100.7');
    // Fewer entries than proxies (a request that skipped one): the leftmost there is.
    expect(await from(ipApp(2), '198.51.100.7')).toBe('198.51.100.7');
    expect(await from(ipApp(1))).toBe('10.0.0.9');
  });
});

describe('waitInWords', () => {
  it('says how long in the largest units that read naturally', () => {
    expect([1, 59, 60, 61, 3_600, 43_200, 43_260, 86_399].map(waitInWords)).toEqual([
      '1 second',
      '59 seconds',
      '1 minute',
      '2 minutes',
      '1 hour',
      '12 hours',
      '12 hours 1 minute',
      '24 hours',
    ]);
  });
});
