// The HTTP face in-process, with an injected clock: the approval window is checked against it.
import { serveHttp, type RunningHttpServer } from '@algorhythm/mcp-kit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCustomerToken } from '../auth/customer-token.ts';
import { customerFromAuthInfo } from '../customers/customer-binding.ts';
import { createSupportDeps } from '../server.ts';
import { connectHttp } from '../testing/clients.ts';
import { firstRound, outcomeOf, secondRound } from '../testing/refund-flow.ts';
import { BACKENDS, useTestBackend, type TestBackend } from '../testing/backend.ts';
import { createSupportHttpHandler } from './http-handler.ts';

const secret = 'in-process-token-secret-0123456789abcdef';

describe.each(BACKENDS)('the HTTP face in-process on %s', (kind) => {
  const database = useTestBackend(kind);
  let backend: TestBackend;
  let now = new Date('2026-05-01T09:00:00Z');
  let handler: ReturnType<typeof createSupportHttpHandler>;
  let listening: RunningHttpServer;

  beforeAll(async () => {
    backend = await database();
    const deps = createSupportDeps({
      db: backend.open(),
      resolveCustomer: customerFromAuthInfo,
      requestStateKey: 'r'.repeat(32),
      approvalTtlSeconds: 3_600,
      clock: () => now,
      log: () => {},
    });
    handler = createSupportHttpHandler({ deps, tokenSecret: secret });
    listening = await serveHttp(handler, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await listening?.close();
  });

  const approve = { action: 'accept' as const, content: { approve: true, approver: 'Clock Watcher' } };

  describe('approval window (APPROVAL_TTL_SECONDS) against the injected clock', () => {
    it('an answer inside the window refunds; one after it is expired and writes nothing', async () => {
      const client = await connectHttp({ url: listening.url.href, token: await mintCustomerToken({ customerId: 1, secret }), era: 'modern' });
      try {
        const late = await firstRound(client.client, 327);
        const onTime = await firstRound(client.client, 316);
        now = new Date(now.getTime() + 3_599_000);
        const ok = outcomeOf(await secondRound(client.client, 316, onTime.requestState, approve));
        expect(ok).toMatchObject({ status: 'refunded', refund: { createdAt: '2026-05-01T09:59:59.000Z' } });
        now = new Date(now.getTime() + 2_000);
        expect(outcomeOf(await secondRound(client.client, 327, late.requestState, approve))).toMatchObject({ status: 'expired', refund: null });
        // An approved round replayed after the window still reports the refund it made.
        expect(outcomeOf(await secondRound(client.client, 316, onTime.requestState, approve)).refund).toEqual(ok.refund);
      } finally {
        await client.close();
      }
      expect(await backend.readLedger(327)).toEqual([]);
      expect(await backend.readLedger(316)).toMatchObject([{ requested_at: '2026-05-01T09:00:00.000Z', created_at: '2026-05-01T09:59:59.000Z' }]);
    });

    it('keeps 2025-era sessions per customer and closes them on shutdown', async () => {
      const client = await connectHttp({ url: listening.url.href, token: await mintCustomerToken({ customerId: 16, secret }), era: 'legacy' });
      expect(handler.legacySessionCount()).toBe(1);
      await client.client.callTool({ name: 'get_customer_profile', arguments: {} });
      await client.close();
    });
  });
});
