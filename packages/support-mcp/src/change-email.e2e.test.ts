// `change_email` end to end: the real executable over stdio and over Streamable HTTP, driven by the real
// SDK clients of both protocol eras, every path checked against Customer.Email and the audit rows, on SQLite and
// on PostgreSQL.
import { SUMMARY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_USER_LABEL } from './approvals/approval-answer.ts';
import { mintCustomerToken } from './auth/customer-token.ts';
import { fixedCustomer } from './customers/customer-binding.ts';
import { callManual, connectHttp, connectStdio, isInputRequired, scriptedHuman, type Elicit, type Era } from './testing/clients.ts';
import { confirm, emailOutcomeOf, firstEmailRound, secondEmailRound } from './testing/email-flow.ts';
import { spawnHttpServer, TEST_TOKEN_SECRET, type SpawnedHttpServer } from './testing/http-server.ts';
import {
  errorTextOf,
  expectInvalidState,
  firstRound,
  sealState,
  secondRound,
  tamperState,
} from './testing/refund-flow.ts';
import { BACKENDS, useTestBackend, type TestBackend } from './testing/backend.ts';

type Conn = { client: Client; close: () => Promise<void> };

const CASES = (['stdio', 'http'] as const).flatMap((transport) => BACKENDS.map((kind) => [transport, kind] as const));

describe.each(CASES)('change_email over %s on %s', (transport, kind) => {
  const database = useTestBackend(kind);
  let backend: TestBackend;
  let server: SpawnedHttpServer | undefined;
  beforeAll(async () => {
    backend = await database();
    if (transport === 'http') server = await spawnHttpServer({ database: backend.args, env: backend.env });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A connection bound to one customer: a stdio process for them, or an HTTP client with their token. */
  const open = async (customerId: number, era: Era = 'modern', options: { elicit?: Elicit; canElicit?: boolean } = {}): Promise<Conn> =>
    transport === 'stdio'
      ? connectStdio({ database: backend.args, env: backend.env, customerId, era, ...options })
      : connectHttp({
          url: server!.url,
          token: await mintCustomerToken({ customerId, secret: TEST_TOKEN_SECRET, ttlSeconds: 600 }),
          era,
          ...options,
        });
  /** Runs `test` on a connection and always closes it. */
  const using = async (connection: Promise<Conn>, test: (c: Conn) => Promise<void>) => {
    const c = await connection;
    try {
      await test(c);
    } finally {
      await c.close();
    }
  };

  it('asks with the form and the summary; accept changes the email and writes one audit row; a replay writes nothing', async () => {
    await using(open(1), async (c) => {
      const others = await backend.customersDigest(1);
      const { request, requestState } = await firstEmailRound(c.client, '  Luis.New@EXAMPLE.com ', 'new job');
      expect(request.params.mode).toBe('form');
      expect(request.params.message).toBe(
        'Email change approval needed. Customer: Luís Gonçalves. Current email: luisg@embraer.com.br. ' +
          'New email: Luis.New@example.com. Reason given: "new job". Confirm this change?',
      );
      expect(request.params.requestedSchema).toEqual({
        type: 'object',
        properties: {
          confirm: { type: 'boolean', title: 'Confirm email change', description: expect.any(String), default: false },
          note: { type: 'string', title: 'Note to keep with the change', description: expect.any(String), maxLength: 500 },
        },
        required: ['confirm'],
      });
      expect(request.params._meta).toEqual({
        [SUMMARY_META_KEY]: {
          title: 'Email change for Luís Gonçalves',
          key: 'email:1',
          facts: [
            { label: 'Current email', value: 'luisg@embraer.com.br' },
            { label: 'New email', value: 'Luis.New@example.com' },
            { label: 'Reason', value: 'new job' },
          ],
        },
      });
      expect(await backend.readEmail(1)).toBe('luisg@embraer.com.br'); // asking changes nothing
      expect(await backend.readEmailChanges()).toEqual([]);

      const round = { newEmail: 'Luis.New@example.com', reason: 'new job', requestState, answer: confirm('verified by phone'), approver: 'Ann Admin' };
      const done = emailOutcomeOf(await secondEmailRound(c.client, round));
      expect(done).toEqual({
        status: 'changed',
        newEmail: 'Luis.New@example.com',
        message: 'The account email was changed from luisg@embraer.com.br to Luis.New@example.com (approved by Ann Admin).',
        change: {
          changeId: expect.any(Number),
          oldEmail: 'luisg@embraer.com.br',
          newEmail: 'Luis.New@example.com',
          reason: 'new job',
          approvedBy: 'Ann Admin',
          note: 'verified by phone',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      });
      expect(await backend.readEmail(1)).toBe('Luis.New@example.com');
      const rows = await backend.readEmailChanges();
      expect(rows).toMatchObject([
        { change_id: done.change!.changeId, customer_id: 1, old_email: 'luisg@embraer.com.br', new_email: 'Luis.New@example.com', reason: 'new job', approved_by: 'Ann Admin', note: 'verified by phone' },
      ]);

      // The client lost the answer and sends the same round again: the same change, nothing written.
      const replay = emailOutcomeOf(await secondEmailRound(c.client, round));
      expect(replay).toMatchObject({ status: 'changed', change: done.change, message: expect.stringMatching(/same approval earlier/) });
      expect(await backend.readEmailChanges()).toEqual(rows);
      expect(await backend.readEmail(1)).toBe('Luis.New@example.com');
      // The profile shows it; asking for the same address again does not ask anybody.
      expect((await c.client.callTool({ name: 'get_customer_profile', arguments: {} })).structuredContent).toMatchObject({ email: 'Luis.New@example.com' });
      const again = await callManual(c.client, 'change_email', { new_email: 'Luis.New@example.COM' });
      expect(emailOutcomeOf(again)).toMatchObject({ status: 'unchanged', change: null, message: expect.stringMatching(/already Luis\.New@example\.com/) });
      expect(await backend.customersDigest(1)).toBe(others); // nobody else's account moved
    });
  });

  it('decline, cancel and an unticked confirm change nothing and say so distinctly', async () => {
    await using(open(2), async (c) => {
      const newEmail = 'leonie@example.de';
      for (const [answer, status] of [
        [{ action: 'decline' }, 'declined'],
        [{ action: 'cancel' }, 'cancelled'],
        [{ action: 'accept', content: { confirm: false, note: 'not her' } }, 'declined'],
      ] as const) {
        const { requestState } = await firstEmailRound(c.client, newEmail);
        const result = emailOutcomeOf(await secondEmailRound(c.client, { newEmail, requestState, answer, approver: 'Ann' }));
        expect(result, status).toMatchObject({ status, newEmail, change: null });
      }
      expect(await backend.readEmail(2)).toBe('leonekohler@surfeu.de');
      expect(await backend.readEmailChanges(2)).toEqual([]);
    });
  });

  it('refuses bad input and incomplete forms with clear errors, and changes nothing', async () => {
    await using(open(3), async (c) => {
      const before = await backend.customersDigest();
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ new_email: 'not-an-email' }, /new_email must be an email address/],
        [{ new_email: 'a@b' }, /new_email must be an email address/],
        [{ new_email: 'two@@example.com' }, /new_email must be an email address/],
        [{ new_email: `${'a'.repeat(55)}@example.com` }, /new_email must be at most 60 characters/],
        [{ new_email: "x@y.com'; UPDATE Customer SET Email = 'pwned' --" }, /new_email must be an email address/],
        [{ new_email: 42 }, /new_email must be text/],
        [{}, /new_email/],
        [{ new_email: 'f@example.com', customer_id: 16 }, /customer_id/],
        [{ new_email: 'f@example.com', reason: 'r'.repeat(501) }, /at most 500 characters/],
        [{ new_email: 'f@example.com', reason: 'nul\u0000byte' }, /control characters/],
      ];
      for (const [args, message] of cases) {
        expect(errorTextOf(await callManual(c.client, 'change_email', args)), JSON.stringify(args)).toMatch(message);
      }
      // The address already on file (domain case does not matter) is not a change.
      const same = await callManual(c.client, 'change_email', { new_email: ' ftremblay@GMAIL.com ' });
      expect(emailOutcomeOf(same)).toMatchObject({ status: 'unchanged', newEmail: 'ftremblay@gmail.com', change: null });
      // A form answer that does not fit the form is refused; the state stays usable.
      const { requestState } = await firstEmailRound(c.client, 'francois@example.ca');
      for (const content of [{}, { confirm: 'yes' }, { note: 'no decision' }, { confirm: true, note: 'n'.repeat(501) }]) {
        const bad = await secondEmailRound(c.client, { newEmail: 'francois@example.ca', requestState, answer: { action: 'accept', content }, approver: 'Ann' });
        expect(errorTextOf(bad), JSON.stringify(content)).toMatch(/`confirm` must be true or false/);
      }
      // So is a malformed "who answered".
      const badWho = await callManual(c.client, 'change_email', { new_email: 'francois@example.ca' }, {
        inputResponses: { approval: confirm() },
        requestState,
        _meta: { 'io.algorhythm/answered-by': 'x'.repeat(201) },
      });
      expect(errorTextOf(badWho)).toMatch(/answered-by/);
      expect(await backend.customersDigest()).toBe(before);
      expect(await backend.readEmailChanges(3)).toEqual([]);
      // Then a proper answer without `_meta` goes through, recorded under the fixed label.
      const done = emailOutcomeOf(await secondEmailRound(c.client, { newEmail: 'francois@example.ca', requestState, answer: confirm() }));
      expect(done.change).toMatchObject({ approvedBy: CLIENT_USER_LABEL, note: null, reason: null });
      expect(await backend.readEmailChanges(3)).toMatchObject([{ approved_by: 'MCP client user', old_email: 'ftremblay@gmail.com', new_email: 'francois@example.ca' }]);
    });
  });

  it('an expired approval changes nothing', async () => {
    await using(open(4), async (c) => {
      const now = Math.floor(Date.now() / 1000);
      const state = await sealState(
        await backend.stateKey(),
        {
          v: 1, kind: 'email_change', customerId: 4, oldEmail: 'bjorn.hansen@yahoo.no', newEmail: 'bjorn@example.no', reason: null,
          nonce: `expired-email-${transport}-0001`, requestedAt: new Date((now - 90_000) * 1000).toISOString(), expiresAt: now - 60,
        },
        fixedCustomer(4), // the same customer binding as the bearer token's over HTTP
      );
      const result = emailOutcomeOf(await secondEmailRound(c.client, { newEmail: 'bjorn@example.no', requestState: state, answer: confirm(), approver: 'Ann' }));
      expect(result).toMatchObject({ status: 'expired', newEmail: 'bjorn@example.no', change: null });
      expect(await backend.readEmail(4)).toBe('bjorn.hansen@yahoo.no');
      expect(await backend.readEmailChanges(4)).toEqual([]);
    });
  });

  it('refuses when the email changed since the request; a second approval of a made change says unchanged', async () => {
    await using(open(5), async (c) => {
      const { requestState } = await firstEmailRound(c.client, 'frantisek@example.cz');
      await backend.setEmail(5, 'someone.else@example.cz'); // changed by other means meanwhile
      const refused = await secondEmailRound(c.client, { newEmail: 'frantisek@example.cz', requestState, answer: confirm(), approver: 'Ann' });
      expect(errorTextOf(refused)).toMatch(/changed since this change was requested/);
      expect(await backend.readEmail(5)).toBe('someone.else@example.cz');
      expect(await backend.readEmailChanges(5)).toEqual([]);

      const a = await firstEmailRound(c.client, 'frantisek@example.cz');
      const b = await firstEmailRound(c.client, 'frantisek@example.cz');
      expect(b.request.params._meta).toMatchObject({ [SUMMARY_META_KEY]: { key: 'email:5' } }); // the same question
      expect(emailOutcomeOf(await secondEmailRound(c.client, { newEmail: 'frantisek@example.cz', requestState: a.requestState, answer: confirm(), approver: 'Ann' }))).toMatchObject({ status: 'changed' });
      expect(emailOutcomeOf(await secondEmailRound(c.client, { newEmail: 'frantisek@example.cz', requestState: b.requestState, answer: confirm(), approver: 'Bob' }))).toMatchObject({ status: 'unchanged', change: null });
      expect(await backend.readEmailChanges(5)).toMatchObject([{ old_email: 'someone.else@example.cz', new_email: 'frantisek@example.cz', approved_by: 'Ann' }]);
    });
  });

  it('is scoped to the connection: only the bound customer changes, and nothing crosses customers or tools', async () => {
    await using(open(6), async (c6) => {
      await using(open(7), async (c7) => {
        const others = await backend.customersDigest(6);
        const { requestState } = await firstEmailRound(c6.client, 'helena@example.cz');
        // Customer 7's connection cannot use customer 6's approval (the state is bound to the customer).
        await expectInvalidState(secondEmailRound(c7.client, { newEmail: 'helena@example.cz', requestState, answer: confirm(), approver: 'Ann' }));
        // A tampered state does not verify.
        await expectInvalidState(
          secondEmailRound(c6.client, { newEmail: 'helena@example.cz', requestState: tamperState(requestState, (p) => (p['customerId'] = 7)), answer: confirm() }),
        );
        // The approval is for one address: not for another one named in the retried arguments.
        expect(errorTextOf(await secondEmailRound(c6.client, { newEmail: 'mallory@example.com', requestState, answer: confirm() }))).toMatch(
          /to helena@example\.cz, not to mallory@example\.com/,
        );
        // An email approval is no refund approval, and the other way round.
        expect(errorTextOf(await secondRound(c6.client, 99, requestState, { action: 'accept', content: { approve: true } }))).toMatch(/not valid for this request/);
        const refundAsk = await firstRound(c6.client, 46);
        expect(errorTextOf(await secondEmailRound(c6.client, { newEmail: 'helena@example.cz', requestState: refundAsk.requestState, answer: confirm() }))).toMatch(
          /not valid for this request/,
        );
        expect(await backend.readLedger()).toEqual([]);
        expect(await backend.readEmail(6)).toBe('hholy@gmail.com');

        const done = emailOutcomeOf(await secondEmailRound(c6.client, { newEmail: 'helena@example.cz', requestState, answer: confirm(), approver: 'Ann' }));
        expect(done).toMatchObject({ status: 'changed', change: { oldEmail: 'hholy@gmail.com' } });
        expect(await backend.readEmail(6)).toBe('helena@example.cz');
        expect(await backend.readEmailChanges(6)).toMatchObject([{ customer_id: 6 }]);
        expect(await backend.readEmail(7)).toBe('astrid.gruber@apple.at');
        expect(await backend.customersDigest(6)).toBe(others);
      });
    });
  });

  it('a client that cannot elicit gets unavailable and nothing changes', async () => {
    await using(open(8, 'modern', { canElicit: false }), async (c) => {
      const result = await callManual(c.client, 'change_email', { new_email: 'daan@example.be' });
      expect(isInputRequired(result)).toBe(false);
      expect(emailOutcomeOf(result)).toMatchObject({ status: 'unavailable', change: null });
    });
    expect(await backend.readEmail(8)).toBe('daan_peeters@apple.be');
  });

  it('2025-era client: a real elicitation/create with the same form and summary; accept changes once, decline nothing', async () => {
    const human = scriptedHuman();
    await using(open(9, 'legacy', { elicit: human.elicit }), async (c) => {
      human.answers = [() => ({ action: 'decline' }), () => confirm('legacy')];
      const declined = await c.client.callTool({ name: 'change_email', arguments: { new_email: 'kara@example.dk' } });
      expect(declined.structuredContent).toMatchObject({ status: 'declined', change: null });
      expect(await backend.readEmail(9)).toBe('kara.nielsen@jubii.dk');
      const done = await c.client.callTool({ name: 'change_email', arguments: { new_email: 'kara@example.dk', reason: 'moved' } });
      expect(done.structuredContent).toMatchObject({
        status: 'changed',
        change: { oldEmail: 'kara.nielsen@jubii.dk', newEmail: 'kara@example.dk', approvedBy: CLIENT_USER_LABEL, note: 'legacy', reason: 'moved' },
      });
      const request = human.requests.at(-1)!;
      expect(request.message).toContain('New email: kara@example.dk');
      expect(request.requestedSchema).toMatchObject({ required: ['confirm'], properties: { confirm: { title: 'Confirm email change' } } });
      expect(request._meta?.[SUMMARY_META_KEY]).toEqual({
        title: 'Email change for Kara Nielsen',
        key: 'email:9',
        facts: [
          { label: 'Current email', value: 'kara.nielsen@jubii.dk' },
          { label: 'New email', value: 'kara@example.dk' },
          { label: 'Reason', value: 'moved' },
        ],
      });
    });
    expect(await backend.readEmail(9)).toBe('kara@example.dk');
    expect(await backend.readEmailChanges(9)).toMatchObject([{ approved_by: 'MCP client user', note: 'legacy' }]);
  });
});
