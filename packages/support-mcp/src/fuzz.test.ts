// Fuzzing the three support tools through the real SDK client with generated hostile arguments, for a
// connection bound to customer 16. In-process (linked in-memory transport, 2025 era, where refund approval
// is a real `elicitation/create`) and against the real executable over stdio (2026-07-28, the agent host's
// manual input-required path, including forged, tampered and other customers' `requestState`s sent with a
// valid approval). Properties: every call answers without SQL/stack text, no other customer's data ever
// appears, another customer's invoice is answered exactly like a missing one, approval is only ever asked
// for the customer's own unrefunded invoices, and nothing is written: no ledger row, Chinook unchanged.
// Everything runs on SQLite and on PostgreSQL.
import Database from 'better-sqlite3';
import { Client, type CallToolResult } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedCustomer } from './customers/customer-binding.ts';
import { createSupportDeps, createSupportServer } from './server.ts';
import { callManual, connectStdio, isInputRequired, textOf } from './testing/clients.ts';
import { tamperState } from './testing/refund-flow.ts';
import type { SupportDatabase } from './store/open-store.ts';
import { BACKENDS, useTestBackend, type TestBackend } from './testing/backend.ts';
import { makeTempDb } from './testing/temp-db.ts';

const RUNS = 300;
const CUSTOMER = 16;
const OTHER = 1;

const LEAK =
  /SQLITE_|SqliteError|syntax error|no such (table|column)|unrecognized token|near "|incomplete input|algorhythm_refunds|violates|duplicate key|invalid input syntax|relation "|column "|\n\s+at |\bat .+\.ts:\d+/;

interface World {
  own: Set<number>;
  others: Set<number>;
  /** Other customers' e-mails, phones, street addresses and full names: none may reach customer 16. */
  foreign: string[];
  ownEmail: string;
}

function worldOf(path: string): World {
  const db = new Database(path, { readonly: true });
  try {
    const invoices = db.prepare('SELECT InvoiceId AS id, CustomerId AS customer FROM Invoice').all() as Array<{ id: number; customer: number }>;
    const customers = db
      .prepare('SELECT CustomerId AS id, FirstName || \' \' || LastName AS name, Email, Phone, Address FROM Customer')
      .all() as Array<{ id: number; name: string; Email: string; Phone: string | null; Address: string }>;
    const others = customers.filter((c) => c.id !== CUSTOMER);
    return {
      own: new Set(invoices.filter((i) => i.customer === CUSTOMER).map((i) => i.id)),
      others: new Set(invoices.filter((i) => i.customer !== CUSTOMER).map((i) => i.id)),
      foreign: others.flatMap((c) => [c.Email, c.name, c.Address, ...(c.Phone ? [c.Phone] : [])]),
      ownEmail: customers.find((c) => c.id === CUSTOMER)!.Email,
    };
  } finally {
    db.close();
  }
}

/** Everything a refund could touch: Chinook's business tables and the ledger. */
const TOUCHABLE = ['Customer', 'Invoice', 'InvoiceLine', 'Track', 'algorhythm_refunds'];

// ---- generators -------------------------------------------------------------------------------

const hostileText = fc.oneof(
  fc.constantFrom("' OR 1=1 --", "98; DELETE FROM algorhythm_refunds; --", "1 UNION SELECT Email FROM Customer", '%', '\u0000', '🎸'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ minLength: 490, maxLength: 2_000 }),
);

const wrongType = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  hostileText,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
);

/** Invoice ids: own, other customers', missing, and everything that is not a positive int32. */
const invoiceId = (world: () => World) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => [...world().own]).chain((ids) => fc.constantFrom(...ids)) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 412 }) },
    { weight: 1, arbitrary: fc.integer({ min: 413, max: 2_147_483_647 }) },
    { weight: 1, arbitrary: fc.integer({ min: -2_147_483_648, max: 0 }) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(2_147_483_648, 1e308, -0, 0.5, 98.0000001, Number.MAX_SAFE_INTEGER + 2, '98', '98 OR 1=1', '0x62') },
    { weight: 1, arbitrary: wrongType },
  );

const extraKeys = fc.dictionary(
  fc.constantFrom('customer_id', 'customerId', 'amount', 'approve', 'approver', 'admin', 'role', 'inputResponses', 'requestState'),
  fc.oneof(fc.integer({ min: 1, max: 59 }), fc.boolean(), fc.string({ maxLength: 10 })),
  { maxKeys: 2 },
);

const refundArgs = (world: () => World) =>
  fc.record(
    {
      invoice_id: invoiceId(world),
      reason: fc.oneof(hostileText, wrongType, fc.string({ minLength: 501, maxLength: 600 })),
      extra: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraKeys }),
    },
    { requiredKeys: ['extra'] },
  );

/** Elicitation answers that are anything but a valid approval. */
const notAnApproval = fc.oneof(
  fc.constant({ action: 'decline' }),
  fc.constant({ action: 'cancel' }),
  fc.record({ action: fc.constant('accept'), content: fc.record({ approve: fc.constant(false), note: fc.string({ maxLength: 20 }) }) }),
  fc.record({ action: fc.constant('accept'), content: fc.record({ note: fc.string({ maxLength: 20 }) }) }),
  fc.record({ action: fc.constant('accept'), content: fc.record({ approve: fc.constant(true), note: fc.string({ minLength: 1001, maxLength: 1100 }) }) }),
  fc.record({ action: fc.constant('accept'), content: fc.record({ approve: fc.constantFrom('true', 1, 'yes', null), approver: fc.constant('Mallory') }) }),
);

const validApproval = { action: 'accept', content: { approve: true, note: 'fuzz' } };

describe.each(BACKENDS)('support tools fuzzed on %s', (kind) => {
  // ---- shared checks ----------------------------------------------------------------------------

  const database = useTestBackend(kind);
  let backend: TestBackend;
  let db: SupportDatabase;
  let world: World;
  let digest: string;

  beforeAll(async () => {
    backend = await database();
    // Let the server create its tables once, so the digest compares data, not migrations.
    db = backend.open();
    // Both backends start from the same pristine Chinook: the world is read from a copy of it.
    const pristine = makeTempDb('support-fuzz-');
    try {
      world = worldOf(pristine.path);
    } finally {
      pristine.cleanup();
    }
    digest = await backend.digest(TOUCHABLE);
  });

  /** `echo`: the caller's own text (a reason), which the approval message quotes back on purpose. */
  function expectNothingForeign(text: string, echo?: unknown) {
    if (typeof echo === 'string' && echo.trim()) {
      text = text.split(echo.trim()).join('').split(JSON.stringify(echo.trim()).slice(1, -1)).join('');
    }
    expect(text).not.toMatch(LEAK);
    expect(world.foreign.find((secret) => text.includes(secret))).toBeUndefined();
  }

  /** Invoice ids anywhere in a structured result: all must be the customer's own. */
  function invoiceIdsIn(value: unknown): number[] {
    const found: number[] = [];
    JSON.stringify(value, (key, v) => {
      if (key === 'invoiceId' && typeof v === 'number') found.push(v);
      return v;
    });
    return found;
  }

  function expectScoped(result: CallToolResult, args: Record<string, unknown>, options: { withState?: boolean } = {}) {
    const text = textOf(result);
    expectNothingForeign(text, args.reason);
    expectNothingForeign(JSON.stringify(result.structuredContent ?? {}), args.reason);
    for (const id of invoiceIdsIn(result.structuredContent)) expect(world.own.has(id), `invoice ${id} is not customer ${CUSTOMER}'s`).toBe(true);
    const id = args.invoice_id;
    // Another customer's invoice is indistinguishable from a missing one (a first round: a second one names its state's invoice).
    if (!options.withState && result.isError && typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= 2_147_483_647 && !world.own.has(id)) {
      const extra = Object.keys(args).filter((k) => k !== 'invoice_id' && k !== 'reason');
      if (extra.length === 0 && (args.reason === undefined || typeof args.reason === 'string')) {
        if (!/reason/.test(text)) expect(text).toBe(`Invoice ${id} was not found on your account.`);
      }
    }
  }

  const argsOf = ({ invoice_id, reason, extra }: { invoice_id?: unknown; reason?: unknown; extra: Record<string, unknown> }) => {
    const args: Record<string, unknown> = { ...extra };
    if (invoice_id !== undefined) args.invoice_id = invoice_id;
    if (reason !== undefined) args.reason = reason;
    return args;
  };

  // ---- in-process, 2025 era: approval by a real elicitation/create --------------------------------

  describe('in-process client (2025 era, elicitation answered by a hostile "human")', () => {
    let client: Client;
    const elicited: string[] = [];
    let answers: unknown[] = [];
    const logged: string[] = [];

    beforeAll(async () => {
      const deps = createSupportDeps({ db, resolveCustomer: fixedCustomer(CUSTOMER), requestStateKey: 'f'.repeat(32), log: (l) => logged.push(l) });
      const server = createSupportServer(deps);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      client = new Client({ name: 'support-fuzz', version: '0' }, { capabilities: { elicitation: { form: {} } } });
      client.setRequestHandler('elicitation/create', async (request) => {
        elicited.push((request.params as { message: string }).message);
        return (answers.shift() ?? { action: 'decline' }) as never;
      });
      await client.connect(clientSide);
    });
    afterAll(async () => {
      await client?.close();
    });

    const call = async (name: string, args: Record<string, unknown>) => {
      try {
        return { result: (await client.callTool({ name, arguments: args })) as CallToolResult };
      } catch (error) {
        return { error: error as Error & { code?: number } };
      }
    };

    it('get_customer_profile: only ever the bound customer, whatever the arguments', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.constant({}), extraKeys), async (args) => {
          const { result, error } = await call('get_customer_profile', args);
          if (error) return void expect(error.message).not.toMatch(LEAK);
          expectScoped(result!, args);
          if (!result!.isError) expect(result!.structuredContent).toMatchObject({ email: world.ownEmail });
          else expect(Object.keys(args).length).toBeGreaterThan(0);
        }),
        { numRuns: 100 },
      );
    });

    it(`get_invoice: ${RUNS} generated ids, only own invoices, others answered as missing`, async () => {
      let found = 0;
      await fc.assert(
        fc.asyncProperty(fc.record({ invoice_id: invoiceId(() => world), extra: fc.oneof(fc.constant({}), extraKeys) }, { requiredKeys: ['extra'] }), async (input) => {
          const args = argsOf(input);
          const { result, error } = await call('get_invoice', args);
          if (error) return void expect(error.message).not.toMatch(LEAK);
          expectScoped(result!, args);
          if (!result!.isError) found++;
        }),
        { numRuns: RUNS },
      );
      expect(found).toBeGreaterThan(RUNS / 10);
    });

    it(`process_refund: ${RUNS} generated requests, approval asked only for own invoices, nothing written`, async () => {
      await fc.assert(
        fc.asyncProperty(refundArgs(() => world), fc.array(notAnApproval, { minLength: 1, maxLength: 1 }), async (input, answer) => {
          answers = answer;
          const before = elicited.length;
          const args = argsOf(input);
          const { result, error } = await call('process_refund', args);
          if (error) return void expect(error.message).not.toMatch(LEAK);
          expectScoped(result!, args);
          if (elicited.length > before) {
            expect(world.own.has(args.invoice_id as number)).toBe(true);
            expectNothingForeign(elicited.at(-1)!, args.reason);
          }
          if (!result!.isError) expect((result!.structuredContent as { status: string }).status).not.toBe('refunded');
        }),
        { numRuns: RUNS },
      );
      expect(elicited.length).toBeGreaterThan(0);
      expect(await backend.readLedger()).toEqual([]);
      expect(logged).toEqual([]);
    });
  });

  // ---- the real executable over stdio, 2026-07-28: the agent host's path ----------------------------

  describe('stdio executable (2026-07-28, manual input-required like the agent host)', () => {
    let mine: Awaited<ReturnType<typeof connectStdio>>;
    let theirs: Awaited<ReturnType<typeof connectStdio>>;
    let genuine: string;
    let foreignState: string;
    const key = 'r'.repeat(40);

    beforeAll(async () => {
      const env = { ...backend.env, REQUEST_STATE_KEY: key };
      [mine, theirs] = await Promise.all([
        connectStdio({ database: backend.args, customerId: CUSTOMER, era: 'modern', env }),
        connectStdio({ database: backend.args, customerId: OTHER, era: 'modern', env }),
      ]);
      const first = await callManual(mine.client, 'process_refund', { invoice_id: 374 });
      if (!isInputRequired(first)) throw new Error('expected input_required for an own invoice');
      genuine = first.requestState as string;
      // A state the server really sealed, but for customer 1's invoice 98 on customer 1's connection.
      const other = await callManual(theirs.client, 'process_refund', { invoice_id: 98 });
      if (!isInputRequired(other)) throw new Error('expected input_required for customer 1');
      foreignState = other.requestState as string;
    });
    afterAll(async () => {
      await mine?.close();
      await theirs?.close();
    });

    const manual = async (args: Record<string, unknown>, retry?: Parameters<typeof callManual>[3]) => {
      try {
        return { result: await callManual(mine.client, 'process_refund', args, retry) };
      } catch (error) {
        return { error: error as Error & { code?: number } };
      }
    };

    it(`first round: ${RUNS} generated requests answer an error or an approval request for an own invoice`, async () => {
      await fc.assert(
        fc.asyncProperty(refundArgs(() => world), async (input) => {
          const args = argsOf(input);
          const { result, error } = await manual(args);
          if (error) return void expect(error.message).not.toMatch(LEAK);
          if (isInputRequired(result)) {
            expect(world.own.has(args.invoice_id as number)).toBe(true);
            expectNothingForeign(JSON.stringify(result.inputRequests), args.reason);
            return;
          }
          expectScoped(result as CallToolResult, args);
          expect((result as CallToolResult).isError).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });

    const forgedState = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ minLength: 2_000, maxLength: 5_000 }),
      fc.constant(null).map(() => foreignState),
      fc.constantFrom('v1..', '...', 'null', '{}'),
      fc.integer({ min: 0, max: 200 }).map((i) => {
        // Flip one character of the genuine state.
        const at = i % genuine.length;
        const c = genuine[at] === 'A' ? 'B' : 'A';
        return genuine.slice(0, at) + c + genuine.slice(at + 1);
      }),
      fc.constantFrom<Array<(p: Record<string, unknown>) => void>>(
        (p) => (p.customerId = OTHER),
        (p) => (p.invoiceId = 98),
        (p) => (p.amountCents = 1_000_000),
        (p) => (p.expiresAt = 9_999_999_999),
        (p) => (p.nonce = 'replay'),
      ).map((change) => tamperState(genuine, change)),
    );

    it(`second round: ${RUNS} forged, tampered or other customers' states with a valid approval write nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(forgedState, fc.oneof(fc.constant(374), fc.constant(98), invoiceId(() => world)), async (state, id) => {
          const args = { invoice_id: id };
          const { result, error } = await manual(args, { inputResponses: { approval: validApproval }, requestState: state as string });
          if (error) {
            expect(error.message).not.toMatch(LEAK);
            return;
          }
          if (isInputRequired(result)) return void expect(world.own.has(id as number)).toBe(true);
          expectScoped(result as CallToolResult, args, { withState: true });
          expect((result as CallToolResult).isError).toBe(true);
        }),
        { numRuns: RUNS },
      );
      expect(await backend.readLedger()).toEqual([]);
    });

    it('second round: the genuine state with anything but a valid approval, or for another invoice, writes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ id: fc.constant(374), answer: notAnApproval }),
            fc.record({ id: invoiceId(() => world).filter((id) => id !== 374), answer: fc.constant(validApproval) }),
            fc.record({ id: fc.constant(374), answer: wrongType }),
          ),
          async ({ id, answer }) => {
            const args = { invoice_id: id };
            const { result, error } = await manual(args, { inputResponses: { approval: answer }, requestState: genuine });
            if (error) return void expect(error.message).not.toMatch(LEAK);
            if (isInputRequired(result)) return;
            expectScoped(result as CallToolResult, args, { withState: true });
            if (!(result as CallToolResult).isError) {
              expect((result as CallToolResult).structuredContent).toMatchObject({ status: expect.stringMatching(/^(declined|cancelled)$/) });
            }
          },
        ),
        { numRuns: 200 },
      );
      expect(await backend.readLedger()).toEqual([]);
    });
  });

  describe('after fuzzing', () => {
    it('no ledger row and no changed Chinook row', async () => {
      expect(await backend.readLedger()).toEqual([]);
      expect(await backend.digest(TOUCHABLE)).toBe(digest);
    });
  });
});
