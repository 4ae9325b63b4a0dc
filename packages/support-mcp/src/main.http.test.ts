// End to end over Streamable HTTP: the real executable, customer bearer tokens, both protocol eras,
// every refund path checked against the ledger rows, on SQLite and on PostgreSQL.
import { SUMMARY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_USER_LABEL } from './approvals/approval-answer.ts';
import { mintCustomerToken } from './auth/customer-token.ts';
import { customerFromAuthInfo } from './customers/customer-binding.ts';
import { callManual, connectHttp, scriptedHuman, textOf } from './testing/clients.ts';
import { INITIALIZE, rawPost, spawnHttpServer, TEST_TOKEN_SECRET, type SpawnedHttpServer } from './testing/http-server.ts';
import {
  barrier,
  errorTextOf,
  expectInvalidState,
  firstRound,
  outcomeOf,
  sealState,
  secondRound,
  tamperState,
} from './testing/refund-flow.ts';
import { BACKENDS, useTestBackend, type TestBackend } from './testing/backend.ts';

type Connection = Awaited<ReturnType<typeof connectHttp>>;
const token = (customerId: number, ttlSeconds = 600) => mintCustomerToken({ customerId, secret: TEST_TOKEN_SECRET, ttlSeconds });
/** The form answer; who approved travels in `_meta` (secondRound's last argument), not in the form. */
const approve = (note?: string) => ({
  action: 'accept' as const,
  content: { approve: true, ...(note ? { note } : {}) },
});

describe.each(BACKENDS)('%s', (kind) => {
  const database = useTestBackend(kind);
  let backend: TestBackend;
  let server: SpawnedHttpServer;
  const spawn = () => spawnHttpServer({ database: backend.args, env: backend.env });
  beforeAll(async () => {
    backend = await database();
    server = await spawn();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('HTTP bearer authentication and request checks', () => {
    it('refuses a missing, malformed, foreign, expired or unknown-customer token with 401', async () => {
      const cases: [string, Record<string, string>][] = [
        ['missing', {}],
        ['not bearer', { authorization: 'Basic Zm9vOmJhcg==' }],
        ['garbage', { authorization: 'Bearer not-a-token' }],
        ['foreign secret', { authorization: `Bearer ${await mintCustomerToken({ customerId: 1, secret: 'x'.repeat(40) })}` }],
        ['expired', { authorization: `Bearer ${await mintCustomerToken({ customerId: 1, secret: TEST_TOKEN_SECRET, ttlSeconds: 60, now: new Date(Date.now() - 7_200_000) })}` }],
        ['unknown customer', { authorization: `Bearer ${await token(424242)}` }],
      ];
      for (const [name, headers] of cases) {
        const response = await rawPost(server.url, INITIALIZE, headers);
        expect(response.status, name).toBe(401);
        expect(String(response.headers['www-authenticate']), name).toMatch(/^Bearer/);
      }
      await expect(connectHttp({ url: server.url, era: 'modern' })).rejects.toThrow();
      await expect(connectHttp({ url: server.url, era: 'legacy' })).rejects.toThrow();
    });

    it('refuses foreign Host and Origin headers (DNS rebinding) and unknown paths', async () => {
      const auth = { authorization: `Bearer ${await token(1)}` };
      expect((await rawPost(server.url, INITIALIZE, { ...auth, host: 'evil.example' })).status).toBe(403);
      expect((await rawPost(server.url, INITIALIZE, { ...auth, origin: 'http://evil.example' })).status).toBe(403);
      expect((await rawPost(server.url.replace('/mcp', '/other'), INITIALIZE, auth)).status).toBe(404);
      expect((await rawPost(server.url, INITIALIZE, { ...auth, origin: 'http://localhost:5173' })).status).toBe(200);
    });

    it('refuses oversize bodies with 413 before parsing them', async () => {
      const huge = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'p'.repeat(300 * 1024) } };
      expect((await rawPost(server.url, huge, { authorization: `Bearer ${await token(1)}` })).status).toBe(413);
    });

    it('a 2025-era session belongs to the customer whose token opened it', async () => {
      const opened = await rawPost(server.url, INITIALIZE, { authorization: `Bearer ${await token(1)}` });
      const sessionId = String(opened.headers['mcp-session-id']);
      expect(sessionId).toMatch(/.+/);
      const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
      const hijack = await rawPost(server.url, list, { authorization: `Bearer ${await token(16)}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
      expect(hijack.status).toBe(403);
      const unknown = await rawPost(server.url, list, { authorization: `Bearer ${await token(1)}`, 'mcp-session-id': 'nope', 'mcp-protocol-version': '2025-11-25' });
      expect(unknown.status).toBe(404);
    });
  });

  describe('HTTP, 2026-07-28 client in manual input-required mode', () => {
    let c1: Connection;
    let c16: Connection;
    beforeAll(async () => {
      c1 = await connectHttp({ url: server.url, token: await token(1), era: 'modern' });
      c16 = await connectHttp({ url: server.url, token: await token(16), era: 'modern' });
    });
    afterAll(async () => {
      await Promise.all([c1?.close(), c16?.close()]);
    });

    it('scopes data to the token: customer 1 sees invoice 98, customer 16 gets "not found"', async () => {
      const mine = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
      expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 98, total: 3.98, itemCount: 2 } });
      const theirs = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
      expect(textOf(theirs as never)).toBe('Invoice 98 was not found on your account.');
      expect(errorTextOf(await callManual(c16.client, 'process_refund', { invoice_id: 98 }))).toBe('Invoice 98 was not found on your account.');
      const profile = await c16.client.callTool({ name: 'get_customer_profile', arguments: {} });
      expect(profile.structuredContent).toMatchObject({ firstName: 'Frank', lastName: 'Harris', company: 'Google Inc.' });
      const list = await c1.client.callTool({ name: 'get_invoice', arguments: {} });
      expect(list.structuredContent).toMatchObject({ truncated: false, invoices: [{ invoiceId: 382 }, {}, {}, {}, {}, {}, { invoiceId: 98 }] });
    });

    it('accept writes one row; replaying the approved round returns it; another approval reports already_refunded', async () => {
      const a = await firstRound(c1.client, 382, 'never arrived');
      const b = await firstRound(c1.client, 382);
      expect(a.request.params.message).toContain('Invoice 382 dated 2025-08-07, amount $8.91');
      expect(a.request.params.requestedSchema.required).toEqual(['approve']);
      expect(a.request.params._meta).toEqual({
        [SUMMARY_META_KEY]: {
          title: 'Refund of invoice 382 ($8.91)',
          key: 'refund:invoice:382',
          facts: [
            { label: 'Customer', value: 'Luís Gonçalves (luisg@embraer.com.br)' },
            { label: 'Invoice', value: '#382, 2025-08-07' },
            { label: 'Amount', value: '$8.91 (full invoice total)' },
            { label: 'Reason', value: 'never arrived' },
          ],
        },
      });
      expect(b.request.params._meta).toMatchObject({ [SUMMARY_META_KEY]: { key: 'refund:invoice:382', facts: expect.arrayContaining([{ label: 'Reason', value: 'none given' }]) } });
      const done = outcomeOf(await secondRound(c1.client, 382, a.requestState, approve('checked'), 'never arrived', 'Ann'));
      expect(done).toMatchObject({ status: 'refunded', amount: 8.91, refund: { approvedBy: 'Ann', note: 'checked', reason: 'never arrived' } });
      expect(outcomeOf(await secondRound(c1.client, 382, a.requestState, approve('checked'), undefined, 'Ann'))).toMatchObject({ status: 'refunded', refund: done.refund });
      expect(outcomeOf(await secondRound(c1.client, 382, b.requestState, approve(), undefined, 'Bob'))).toMatchObject({ status: 'already_refunded', refund: done.refund });
      expect(await backend.readLedger(382)).toMatchObject([{ customer_id: 1, amount_cents: 891, approved_by: 'Ann', approver_note: 'checked' }]);
    });

    it('without `_meta` saying who answered, the fixed label is recorded as the approver', async () => {
      const { requestState } = await firstRound(c1.client, 121);
      const done = outcomeOf(await secondRound(c1.client, 121, requestState, approve()));
      expect(done.refund).toMatchObject({ approvedBy: CLIENT_USER_LABEL, note: null });
      expect(await backend.readLedger(121)).toMatchObject([{ customer_id: 1, approved_by: 'MCP client user', approver_note: null }]);
    });

    it('decline and cancel write nothing', async () => {
      const d = await firstRound(c1.client, 327);
      expect(outcomeOf(await secondRound(c1.client, 327, d.requestState, { action: 'decline' }))).toMatchObject({ status: 'declined', refund: null });
      const c = await firstRound(c1.client, 327);
      expect(outcomeOf(await secondRound(c1.client, 327, c.requestState, { action: 'cancel' }))).toMatchObject({ status: 'cancelled', refund: null });
      expect(await backend.readLedger(327)).toEqual([]);
    });

    it('expired and tampered states write nothing', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await sealState(
        await backend.stateKey(),
        { v: 1, invoiceId: 316, customerId: 1, amountCents: 198, reason: null, nonce: 'http-expired-nonce-0001', requestedAt: 'earlier', expiresAt: now - 60 },
        customerFromAuthInfo,
        { http: { authInfo: { token: 't', clientId: 'c', scopes: [], extra: { customerId: 1 } } } },
      );
      expect(outcomeOf(await secondRound(c1.client, 316, expired, approve()))).toMatchObject({ status: 'expired', refund: null });
      const { requestState } = await firstRound(c1.client, 316);
      await expectInvalidState(secondRound(c1.client, 316, tamperState(requestState, (p) => (p['customerId'] = 16)), approve()));
      await expectInvalidState(secondRound(c1.client, 316, tamperState(requestState, (p) => (p['expiresAt'] = 9_999_999_999)), approve()));
      expect(await backend.readLedger(316)).toEqual([]);
    });

    it('a token for customer 16 cannot complete a state minted for customer 1', async () => {
      const { requestState } = await firstRound(c1.client, 316);
      await expectInvalidState(secondRound(c16.client, 316, requestState, approve()));
      // Nor can it by naming one of its own invoices.
      await expectInvalidState(secondRound(c16.client, 374, requestState, approve()));
      expect(await backend.readLedger(316)).toEqual([]);
      expect(await backend.readLedger(374)).toEqual([]);
    });

    it('a client that cannot elicit gets unavailable', async () => {
      const blind = await connectHttp({ url: server.url, token: await token(1), era: 'modern', canElicit: false });
      try {
        expect(outcomeOf(await callManual(blind.client, 'process_refund', { invoice_id: 316 }))).toMatchObject({ status: 'unavailable', refund: null });
      } finally {
        await blind.close();
      }
      expect(await backend.readLedger(316)).toEqual([]);
    });

    it('refuses bad input with clear errors', async () => {
      for (const [args, message] of [
        [{ invoice_id: 3.5 }, /whole number/],
        [{ invoice_id: -1 }, /positive/],
        [{ invoice_id: 2 ** 53 }, /at most/],
        [{ invoice_id: '1 UNION SELECT * FROM Customer' }, /must be a number/],
        [{ invoice_id: 316, reason: 'z'.repeat(10_000) }, /at most 500/],
        [{ invoice_id: 316, reason: 'r', extra: Array.from({ length: 200 }, (_, i) => i) }, /./],
      ] as const) {
        expect(errorTextOf(await callManual(c1.client, 'process_refund', args)), JSON.stringify(args).slice(0, 60)).toMatch(message);
      }
      expect(await backend.readLedger(316)).toEqual([]);
    });

    it('two overlapping approved calls produce exactly one row', async () => {
      const a = await firstRound(c1.client, 143);
      const b = await firstRound(c1.client, 143);
      const results = await Promise.all([
        secondRound(c1.client, 143, a.requestState, approve(), undefined, 'Ann'),
        secondRound(c1.client, 143, b.requestState, approve(), undefined, 'Bob'),
      ]);
      expect(results.map((r) => outcomeOf(r).status).sort()).toEqual(['already_refunded', 'refunded']);
      expect(await backend.readLedger(143)).toHaveLength(1);
    });

    it('a second round sent to a freshly restarted server process completes the refund exactly once', async () => {
      const { requestState } = await firstRound(c1.client, 195, 'restart over http');
      await c1.close();
      await c16.close();
      await server.stop();
      server = await spawn();
      c1 = await connectHttp({ url: server.url, token: await token(1), era: 'modern' });
      c16 = await connectHttp({ url: server.url, token: await token(16), era: 'modern' });
      const done = outcomeOf(await secondRound(c1.client, 195, requestState, approve(), undefined, 'Carla'));
      expect(done).toMatchObject({ status: 'refunded', refund: { invoiceId: 195, reason: 'restart over http', approvedBy: 'Carla' } });
      expect(outcomeOf(await secondRound(c1.client, 195, requestState, approve(), undefined, 'Carla')).refund).toEqual(done.refund);
      expect(await backend.readLedger(195)).toMatchObject([{ customer_id: 1, amount_cents: 99, approved_by: 'Carla' }]);
    });
  });

  describe('HTTP, 2025-11-25 client answering a real elicitation/create', () => {
    const human = scriptedHuman();
    let c2: Connection;
    let c16: Connection;
    beforeAll(async () => {
      c2 = await connectHttp({ url: server.url, token: await token(2), era: 'legacy', elicit: human.elicit });
      c16 = await connectHttp({ url: server.url, token: await token(16), era: 'legacy', elicit: human.elicit });
    });
    afterAll(async () => {
      await Promise.all([c2?.close(), c16?.close()]);
    });
    const refund = (conn: Connection, args: Record<string, unknown>) => conn.client.callTool({ name: 'process_refund', arguments: args });

    it('scopes data to the token and returns profile and invoice contents', async () => {
      const mine = await c2.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 293 } });
      expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 293, total: 0.99 } });
      const theirs = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 293 } });
      expect(textOf(theirs as never)).toBe('Invoice 293 was not found on your account.');
      expect((await c16.client.callTool({ name: 'get_customer_profile', arguments: {} })).structuredContent).toMatchObject({ email: 'fharris@google.com' });
    });

    it('accept writes one row after a real elicitation; repeating reports already_refunded; decline and cancel write nothing', async () => {
      human.answers = [() => approve('legacy http')];
      const done = await refund(c2, { invoice_id: 293, reason: 'wrong track' });
      expect(done.structuredContent).toMatchObject({ status: 'refunded', amount: 0.99, refund: { approvedBy: CLIENT_USER_LABEL, reason: 'wrong track' } });
      expect(human.asked.pop()).toContain('Invoice 293 dated');
      expect(human.requests.pop()?._meta?.[SUMMARY_META_KEY]).toMatchObject({ title: 'Refund of invoice 293 ($0.99)', key: 'refund:invoice:293' });
      expect((await refund(c2, { invoice_id: 293 })).structuredContent).toMatchObject({ status: 'already_refunded' });
      human.answers = [() => ({ action: 'decline' }), () => ({ action: 'cancel' })];
      expect((await refund(c2, { invoice_id: 241 })).structuredContent).toMatchObject({ status: 'declined' });
      expect((await refund(c2, { invoice_id: 241 })).structuredContent).toMatchObject({ status: 'cancelled' });
      human.asked.splice(0);
      expect(await backend.readLedger(293)).toMatchObject([{ customer_id: 2, amount_cents: 99, approved_by: 'MCP client user', approver_note: 'legacy http' }]);
      expect(await backend.readLedger(241)).toEqual([]);
    });

    it('a client without elicitation gets unavailable', async () => {
      const blind = await connectHttp({ url: server.url, token: await token(2), era: 'legacy', canElicit: false });
      try {
        expect((await refund(blind, { invoice_id: 241 })).structuredContent).toMatchObject({ status: 'unavailable' });
      } finally {
        await blind.close();
      }
      expect(await backend.readLedger(241)).toEqual([]);
    });

    it('two overlapping approvals produce exactly one row', async () => {
      const meet = barrier(2);
      const both = async () => {
        await meet();
        return approve();
      };
      human.answers = [both, both];
      const other = await connectHttp({ url: server.url, token: await token(2), era: 'legacy', elicit: human.elicit });
      try {
        const results = await Promise.all([refund(c2, { invoice_id: 219 }), refund(other, { invoice_id: 219 })]);
        expect(results.map((r) => (r.structuredContent as { status: string }).status).sort()).toEqual(['already_refunded', 'refunded']);
      } finally {
        await other.close();
      }
      human.asked.splice(0);
      expect(await backend.readLedger(219)).toHaveLength(1);
    });

    it('refuses bad input', async () => {
      for (const args of [{ invoice_id: -5 }, { invoice_id: 'drop' }, { invoice_id: 219, reason: 'r'.repeat(600) }]) {
        expect((await refund(c2, args)).isError).toBe(true);
      }
      expect(human.asked).toEqual([]);
    });
  });
});
