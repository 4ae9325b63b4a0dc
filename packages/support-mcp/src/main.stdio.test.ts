// End to end over stdio: the real executable spawned by the real SDK client, both protocol eras,
// every refund path checked against the ledger rows in the SQLite file.
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedCustomer } from './customers/customer-binding.ts';
import { SUMMARY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import { CLIENT_USER_LABEL } from './approvals/approval-answer.ts';
import { callManual, connectStdio, isInputRequired, scriptedHuman, textOf } from './testing/clients.ts';
import {
  answeredBy,
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
import { BIN, makeTempDb } from './testing/temp-db.ts';

type Connection = Awaited<ReturnType<typeof connectStdio>>;
/** The form answer; who approved travels in `_meta` (secondRound's last argument), not in the form. */
const approve = (note?: string) => ({
  action: 'accept' as const,
  content: { approve: true, ...(note ? { note } : {}) },
});
const LUIS = 'Luís Gonçalves (luisg@embraer.com.br)';

describe.each(BACKENDS)('stdio, 2026-07-28 client in manual input-required mode (%s)', (kind) => {
  const database = useTestBackend(kind);
  let backend: TestBackend;
  let c1: Connection;
  let c16: Connection;
  beforeAll(async () => {
    backend = await database();
    [c1, c16] = await Promise.all([
      connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern' }),
      connectStdio({ database: backend.args, env: backend.env, customerId: 16, era: 'modern' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([c1?.close(), c16?.close()]);
  });

  it('scopes data to the connection: customer 1 sees invoice 98, customer 16 gets "not found" like a missing invoice', async () => {
    const mine = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 98, total: 3.98, date: '2022-03-11' } });
    const theirs = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(theirs.isError).toBe(true);
    expect(textOf(theirs as never)).toBe('Invoice 98 was not found on your account.');
    const missing = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 99_999 } });
    expect(textOf(missing as never)).toBe('Invoice 99999 was not found on your account.');
    const refund = await callManual(c16.client, 'process_refund', { invoice_id: 98 });
    expect(errorTextOf(refund)).toBe('Invoice 98 was not found on your account.');
    const list = await c16.client.callTool({ name: 'get_invoice', arguments: {} });
    expect((list.structuredContent as { invoices: { invoiceId: number }[] }).invoices.map((i) => i.invoiceId)).toEqual([
      374, 352, 329, 200, 145, 134, 13,
    ]);
    expect(await backend.readLedger()).toEqual([]);
  });

  it('returns the profile and invoice contents of the connected customer', async () => {
    const profile = await c16.client.callTool({ name: 'get_customer_profile', arguments: {} });
    expect(profile.structuredContent).toEqual({
      firstName: 'Frank', lastName: 'Harris', email: 'fharris@google.com', phone: '+1 (650) 253-0000',
      company: 'Google Inc.', address: '1600 Amphitheatre Parkway', city: 'Mountain View', state: 'CA',
      country: 'USA', postalCode: '94043-1351',
    });
    expect(textOf(profile as never)).toContain('fharris@google.com');
    const invoice = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(invoice.structuredContent).toEqual({
      invoice: {
        invoiceId: 98, date: '2022-03-11', total: 3.98, itemCount: 2, refunded: false,
        billingAddress: 'Av. Brigadeiro Faria Lima, 2170, São José dos Campos, SP, Brazil, 12227-000',
        lines: [
          { track: 'Experiment In Terra', album: 'Battlestar Galactica (Classic), Season 1', artist: 'Battlestar Galactica (Classic)', unitPrice: 1.99, quantity: 1 },
          { track: 'Take the Celestra', album: 'Battlestar Galactica (Classic), Season 1', artist: 'Battlestar Galactica (Classic)', unitPrice: 1.99, quantity: 1 },
        ],
      },
    });
  });

  it('accept: asks a person, writes exactly one row; a replay of the approved round returns the same refund; another approval reports already_refunded', async () => {
    const a = await firstRound(c1.client, 382, 'Album arrived corrupted');
    expect(a.request.params.mode).toBe('form');
    expect(a.request.params.message).toBe(
      'Refund approval needed. Customer: Luís Gonçalves (luisg@embraer.com.br). Invoice 382 dated 2025-08-07, ' +
        'amount $8.91 (full invoice total). Reason given: "Album arrived corrupted". Approve this refund?',
    );
    expect(Object.keys(a.request.params.requestedSchema.properties)).toEqual(['approve', 'note']);
    expect(a.request.params.requestedSchema.required).toEqual(['approve']);
    expect(a.request.params._meta).toEqual({
      [SUMMARY_META_KEY]: {
        title: 'Refund of invoice 382 ($8.91)',
        key: 'refund:invoice:382',
        facts: [
          { label: 'Customer', value: LUIS },
          { label: 'Invoice', value: '#382, 2025-08-07' },
          { label: 'Amount', value: '$8.91 (full invoice total)' },
          { label: 'Reason', value: 'Album arrived corrupted' },
        ],
      },
    });
    const b = await firstRound(c1.client, 382, 'asked twice');
    // Two requests about the same invoice carry the same summary key (the host keeps one pending approval).
    expect(b.request.params._meta).toMatchObject({ [SUMMARY_META_KEY]: { key: 'refund:invoice:382', facts: expect.arrayContaining([{ label: 'Reason', value: 'asked twice' }]) } });
    expect(await backend.readLedger(382)).toEqual([]); // asking writes nothing

    const done = outcomeOf(await secondRound(c1.client, 382, a.requestState, approve('goodwill'), 'Album arrived corrupted', 'Ann Admin'));
    expect(done).toMatchObject({
      status: 'refunded', invoiceId: 382, amount: 8.91,
      refund: { invoiceId: 382, amount: 8.91, reason: 'Album arrived corrupted', approvedBy: 'Ann Admin', note: 'goodwill' },
    });
    const rows = await backend.readLedger(382);
    expect(rows).toMatchObject([
      { refund_id: done.refund!.refundId, customer_id: 1, amount_cents: 891, reason: 'Album arrived corrupted', approved_by: 'Ann Admin', approver_note: 'goodwill' },
    ]);

    // The client crashed before it saw the answer and sends the same round again.
    const replay = outcomeOf(await secondRound(c1.client, 382, a.requestState, approve('goodwill'), undefined, 'Ann Admin'));
    expect(replay).toMatchObject({ status: 'refunded', refund: done.refund });
    // A different approval for the now refunded invoice.
    const other = outcomeOf(await secondRound(c1.client, 382, b.requestState, approve(), undefined, 'Bob'));
    expect(other).toMatchObject({ status: 'already_refunded', refund: { refundId: done.refund!.refundId, approvedBy: 'Ann Admin' } });
    // A new request for it does not even ask.
    const again = await callManual(c1.client, 'process_refund', { invoice_id: 382 });
    expect(outcomeOf(again)).toMatchObject({ status: 'already_refunded', amount: 8.91 });
    expect(await backend.readLedger(382)).toEqual(rows);
    const listed = await c1.client.callTool({ name: 'get_invoice', arguments: {} });
    expect((listed.structuredContent as { invoices: { invoiceId: number; refunded: boolean }[] }).invoices[0]).toMatchObject({ invoiceId: 382, refunded: true });
  });

  it('decline, cancel and an unticked approve write nothing and say so distinctly', async () => {
    const declined = await firstRound(c1.client, 327);
    expect(outcomeOf(await secondRound(c1.client, 327, declined.requestState, { action: 'decline' }))).toMatchObject({
      status: 'declined', invoiceId: 327, amount: 13.86, refund: null,
    });
    const cancelled = await firstRound(c1.client, 327);
    expect(outcomeOf(await secondRound(c1.client, 327, cancelled.requestState, { action: 'cancel' }))).toMatchObject({
      status: 'cancelled', refund: null,
    });
    const unticked = await firstRound(c1.client, 327);
    expect(
      outcomeOf(await secondRound(c1.client, 327, unticked.requestState, { action: 'accept', content: { approve: false } }, undefined, 'Ann')),
    ).toMatchObject({ status: 'declined', refund: null, message: expect.stringContaining('answered by Ann') });
    const incomplete = await firstRound(c1.client, 327);
    for (const content of [{}, { note: 'no decision' }, { approve: 'yes' }, { approve: true, note: 'n'.repeat(1001) }]) {
      const bad = await secondRound(c1.client, 327, incomplete.requestState, { action: 'accept', content }, undefined, 'Ann');
      expect(errorTextOf(bad), JSON.stringify(content)).toMatch(/`approve` must be true or false/);
    }
    expect(await backend.readLedger(327)).toEqual([]);
  });

  it('expired approval: nothing written, status expired', async () => {
    const key = await backend.stateKey();
    const now = Math.floor(Date.now() / 1000);
    const state = await sealState(
      key,
      { v: 1, invoiceId: 316, customerId: 1, amountCents: 198, reason: null, nonce: 'expired-nonce-000000001', requestedAt: new Date((now - 90_000) * 1000).toISOString(), expiresAt: now - 3_600 },
      fixedCustomer(1),
    );
    expect(outcomeOf(await secondRound(c1.client, 316, state, approve()))).toMatchObject({ status: 'expired', invoiceId: 316, refund: null });
    expect(await backend.readLedger(316)).toEqual([]);
  });

  it('tampered state, a state for another invoice, and a forged key are refused; nothing written', async () => {
    const { requestState } = await firstRound(c1.client, 316);
    await expectInvalidState(secondRound(c1.client, 316, tamperState(requestState, (p) => (p['amountCents'] = 1)), approve()));
    await expectInvalidState(secondRound(c1.client, 316, `${requestState.slice(0, -2)}xx`, approve()));
    await expectInvalidState(secondRound(c1.client, 316, 'v1.e30.AAAA', approve()));
    const forged = await sealState('f'.repeat(40), { v: 1, invoiceId: 316, customerId: 1, amountCents: 198, reason: null, nonce: 'forged-nonce-0000000001', requestedAt: 'x', expiresAt: 4_000_000_000 }, fixedCustomer(1));
    await expectInvalidState(secondRound(c1.client, 316, forged, approve()));
    // A genuine state presented with another invoice number in the arguments.
    expect(errorTextOf(await secondRound(c1.client, 195, requestState, approve()))).toMatch(/for invoice 316, not invoice 195/);
    expect(await backend.readLedger(316)).toEqual([]);
    expect(await backend.readLedger(195)).toEqual([]);
  });

  it('a state minted for customer 1 does not verify on customer 16’s connection', async () => {
    const { requestState } = await firstRound(c1.client, 316);
    await expectInvalidState(secondRound(c16.client, 316, requestState, approve()));
    expect(await backend.readLedger(316)).toEqual([]);
  });

  it('refuses bad input with clear errors and writes nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ invoice_id: 1.5 }, /whole number/],
      [{ invoice_id: -98 }, /positive/],
      [{ invoice_id: 0 }, /positive/],
      [{ invoice_id: 1e12 }, /at most 2147483647/],
      [{ invoice_id: '98 OR 1=1' }, /must be a number/],
      [{ invoice_id: "98'; DROP TABLE Invoice; --" }, /must be a number/],
      [{}, /invoice_id/],
      [{ invoice_id: 98, reason: 'x'.repeat(501) }, /at most 500 characters/],
      [{ invoice_id: 98, reason: 42 }, /reason must be text/],
      [{ invoice_id: 98, customer_id: 16 }, /customer_id/],
      [{ invoice_id: 98, reason: 'nul\u0000byte' }, /control characters/],
    ];
    for (const [args, message] of cases) {
      const result = await callManual(c1.client, 'process_refund', args);
      expect(errorTextOf(result), JSON.stringify(args)).toMatch(message);
    }
    const listing = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: -1 } });
    expect(listing.isError).toBe(true);
    // SQL-looking text in a reason is just text: shown to the approver verbatim, nothing executed.
    const sqlish = "'); DROP TABLE algorhythm_refunds; --";
    const { request } = await firstRound(c1.client, 98, sqlish);
    expect(request.params.message).toContain(sqlish);
    expect(await backend.readLedger(98)).toEqual([]);
    expect((await backend.readLedger()).every((row) => row.invoice_id !== 98)).toBe(true);
  });

  it('the approver is who the client says answered (_meta, trimmed), else a fixed label; a malformed one is refused', async () => {
    const { requestState } = await firstRound(c1.client, 121, 'approver test');
    const withMeta = (meta: Record<string, unknown>) =>
      callManual(c1.client, 'process_refund', { invoice_id: 121, reason: 'approver test' }, { inputResponses: { approval: approve() }, requestState, _meta: meta });
    for (const bad of ['', '   ', 'x'.repeat(201), 'Ann\nAdmin', 42, { name: 'Ann' }]) {
      expect(errorTextOf(await withMeta(answeredBy(bad as string))), JSON.stringify(bad)).toMatch(/io\.algorhythm\/answered-by/);
    }
    expect(await backend.readLedger(121)).toEqual([]); // refused, and the state is still good:
    const done = outcomeOf(await secondRound(c1.client, 121, requestState, approve('no name sent'), 'approver test'));
    expect(done).toMatchObject({ status: 'refunded', refund: { approvedBy: CLIENT_USER_LABEL, note: 'no name sent' } });
    expect(CLIENT_USER_LABEL).toBe('MCP client user');
    expect(await backend.readLedger(121)).toMatchObject([{ approved_by: 'MCP client user', approver_note: 'no name sent' }]);
    // Customer 16, another invoice: a padded name is trimmed.
    const theirs = await firstRound(c16.client, 13);
    const named = outcomeOf(await secondRound(c16.client, 13, theirs.requestState, approve(), undefined, '  Dana Admin  '));
    expect(named.refund).toMatchObject({ approvedBy: 'Dana Admin' });
    expect(await backend.readLedger(13)).toMatchObject([{ customer_id: 16, approved_by: 'Dana Admin' }]);
  });

  it('a client that cannot elicit gets status unavailable and nothing is written', async () => {
    const blind = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern', canElicit: false });
    try {
      const result = await callManual(blind.client, 'process_refund', { invoice_id: 316 });
      expect(outcomeOf(result)).toMatchObject({ status: 'unavailable', invoiceId: 316, amount: 1.98, refund: null });
    } finally {
      await blind.close();
    }
    expect(await backend.readLedger(316)).toEqual([]);
  });

  it('two overlapping approved calls in two server processes produce exactly one row', async () => {
    const other = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern' });
    try {
      const a = await firstRound(c1.client, 143);
      const b = await firstRound(other.client, 143);
      const results = await Promise.all([
        secondRound(c1.client, 143, a.requestState, approve(), undefined, 'Ann'),
        secondRound(other.client, 143, b.requestState, approve(), undefined, 'Bob'),
      ]);
      const statuses = results.map((r) => outcomeOf(r).status).sort();
      expect(statuses).toEqual(['already_refunded', 'refunded']);
      const rows = await backend.readLedger(143);
      expect(rows).toHaveLength(1);
      const winner = results.map(outcomeOf).find((o) => o.status === 'refunded')!;
      expect(rows[0]!.approved_by).toBe(winner.refund!.approvedBy);
    } finally {
      await other.close();
    }
  });

  it('a second round sent to a freshly started server process completes the refund exactly once', async () => {
    const first = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern' });
    const { requestState } = await firstRound(first.client, 195, 'restart test');
    await first.close(); // the process that minted the state is gone
    const second = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern' });
    try {
      const done = outcomeOf(await secondRound(second.client, 195, requestState, approve(), undefined, 'Carla'));
      expect(done).toMatchObject({ status: 'refunded', refund: { invoiceId: 195, amount: 0.99, reason: 'restart test', approvedBy: 'Carla' } });
      const replay = outcomeOf(await secondRound(second.client, 195, requestState, approve(), undefined, 'Carla'));
      expect(replay.refund).toEqual(done.refund);
    } finally {
      await second.close();
    }
    expect(await backend.readLedger(195)).toMatchObject([{ customer_id: 1, amount_cents: 99, approved_by: 'Carla' }]);
  });
});

describe.each(BACKENDS)('stdio, 2025-11-25 client answering a real elicitation/create (%s)', (kind) => {
  const database = useTestBackend(kind);
  let backend: TestBackend;
  const human = scriptedHuman();
  let c1: Connection;
  let c16: Connection;
  beforeAll(async () => {
    backend = await database();
    [c1, c16] = await Promise.all([
      connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'legacy', elicit: human.elicit }),
      connectStdio({ database: backend.args, env: backend.env, customerId: 16, era: 'legacy', elicit: human.elicit }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([c1?.close(), c16?.close()]);
  });
  const refund = (conn: Connection, args: Record<string, unknown>) => conn.client.callTool({ name: 'process_refund', arguments: args });

  it('scopes data to the connection and returns profile and invoice contents', async () => {
    const mine = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 98, lines: [{ track: 'Experiment In Terra' }, {}] } });
    const theirs = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(theirs.isError).toBe(true);
    expect(textOf(theirs as never)).toBe('Invoice 98 was not found on your account.');
    expect((await refund(c16, { invoice_id: 98 })).isError).toBe(true);
    const profile = await c1.client.callTool({ name: 'get_customer_profile', arguments: {} });
    expect(profile.structuredContent).toMatchObject({ firstName: 'Luís', lastName: 'Gonçalves', email: 'luisg@embraer.com.br' });
    expect(human.asked).toEqual([]);
  });

  it('accept: the person sees the request, one row is written; a repeat reports already_refunded without asking', async () => {
    human.answers = [() => approve('ok')];
    const done = await refund(c1, { invoice_id: 98, reason: 'double charge' });
    // A 2025-era client says nothing about who answered: the fixed label is recorded.
    expect(done.structuredContent).toMatchObject({ status: 'refunded', amount: 3.98, refund: { approvedBy: CLIENT_USER_LABEL, note: 'ok', reason: 'double charge' } });
    expect(human.asked.pop()).toBe(
      'Refund approval needed. Customer: Luís Gonçalves (luisg@embraer.com.br). Invoice 98 dated 2022-03-11, ' +
        'amount $3.98 (full invoice total). Reason given: "double charge". Approve this refund?',
    );
    // The real elicitation/create carries the same form and summary _meta as the 2026-07-28 input request.
    const request = human.requests.pop()!;
    expect(request.requestedSchema).toMatchObject({ required: ['approve'], properties: { approve: { type: 'boolean' }, note: { type: 'string' } } });
    expect(Object.keys((request.requestedSchema as { properties: object }).properties)).toEqual(['approve', 'note']);
    expect(request._meta?.[SUMMARY_META_KEY]).toEqual({
      title: 'Refund of invoice 98 ($3.98)',
      key: 'refund:invoice:98',
      facts: [
        { label: 'Customer', value: LUIS },
        { label: 'Invoice', value: '#98, 2022-03-11' },
        { label: 'Amount', value: '$3.98 (full invoice total)' },
        { label: 'Reason', value: 'double charge' },
      ],
    });
    expect(await backend.readLedger(98)).toMatchObject([{ customer_id: 1, amount_cents: 398, approved_by: 'MCP client user', approver_note: 'ok' }]);
    const again = await refund(c1, { invoice_id: 98 });
    expect(again.structuredContent).toMatchObject({ status: 'already_refunded', refund: { approvedBy: CLIENT_USER_LABEL } });
    expect(human.asked).toEqual([]);
    expect(await backend.readLedger(98)).toHaveLength(1);
  });

  it('decline, cancel and an unticked approve write nothing', async () => {
    human.answers = [
      () => ({ action: 'decline' }),
      () => ({ action: 'cancel' }),
      () => ({ action: 'accept', content: { approve: false } }),
    ];
    expect((await refund(c1, { invoice_id: 121 })).structuredContent).toMatchObject({ status: 'declined', refund: null });
    expect((await refund(c1, { invoice_id: 121 })).structuredContent).toMatchObject({ status: 'cancelled', refund: null });
    expect((await refund(c1, { invoice_id: 121 })).structuredContent).toMatchObject({ status: 'declined', refund: null });
    expect(human.asked.splice(0)).toHaveLength(3);
    expect(await backend.readLedger(121)).toEqual([]);
  });

  it('a client without the elicitation capability gets unavailable and nothing is written', async () => {
    const blind = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'legacy', canElicit: false });
    try {
      const result = await blind.client.callTool({ name: 'process_refund', arguments: { invoice_id: 121 } });
      expect(result.structuredContent).toMatchObject({ status: 'unavailable', refund: null });
    } finally {
      await blind.close();
    }
    expect(await backend.readLedger(121)).toEqual([]);
  });

  it('refuses bad input with clear errors and writes nothing', async () => {
    for (const args of [{ invoice_id: 2.5 }, { invoice_id: -3 }, { invoice_id: 9e15 }, { invoice_id: '121; DELETE FROM Invoice' }, { invoice_id: 121, reason: 'y'.repeat(501) }]) {
      const result = await refund(c1, args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
    }
    expect(human.asked).toEqual([]);
    expect(await backend.readLedger(121)).toEqual([]);
  });

  it('two overlapping approvals in two processes produce exactly one row', async () => {
    const meet = barrier(2);
    const both = async () => {
      await meet(); // both people are looking at the form at the same time
      return approve();
    };
    human.answers = [both, both];
    const other = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'legacy', elicit: human.elicit });
    try {
      const results = await Promise.all([refund(c1, { invoice_id: 143 }), refund(other, { invoice_id: 143 })]);
      expect(results.map((r) => (r.structuredContent as { status: string }).status).sort()).toEqual(['already_refunded', 'refunded']);
    } finally {
      await other.close();
    }
    human.asked.splice(0);
    expect(await backend.readLedger(143)).toHaveLength(1);
  });
});

describe('stdio startup', () => {
  const temp = makeTempDb();
  afterAll(() => temp.cleanup());
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, ...args], { env: { ...getDefaultEnvironment(), ...env }, encoding: 'utf8', timeout: 30_000 });

  it('refuses to start without a customer, or for one that does not exist, with one clear stderr line', () => {
    const none = run(['--db', temp.path]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim()).toBe('algorhythm-support-mcp: stdio mode serves one customer: pass --customer-id N or set CUSTOMER_ID');
    const ghost = run(['--db', temp.path], { CUSTOMER_ID: '9999' });
    expect(ghost.status).toBe(1);
    expect(ghost.stdout).toBe('');
    expect(ghost.stderr).toContain('algorhythm-support-mcp: customer 9999 does not exist');
    const noDb = run(['--db', `${temp.dir}/nope.db`, '--customer-id', '1']);
    expect(noDb.status).toBe(1);
    expect(noDb.stderr).toContain('does not exist');
  });

  it('refuses HTTP mode without SUPPORT_TOKEN_SECRET', () => {
    const result = run(['--db', temp.path, '--http', '--port', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^algorhythm-support-mcp: HTTP mode needs SUPPORT_TOKEN_SECRET/);
  });
});
