// What every Store must do, whatever it stores in: run by each implementation's test file against a real database.
import { describe, expect, it } from 'vitest';
import type { NewApproval, Store } from './types.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const text = (value: string) => ({ message: { role: 'assistant' as const, content: [{ type: 'text' as const, text: value }] }, agent: 'support_rep' as const });

function approval(id: string, conversationId: string, overrides: Partial<NewApproval> = {}): NewApproval {
  return {
    id,
    conversationId,
    customerId: 1,
    customerName: 'Luís Gonçalves',
    agent: 'support_rep',
    toolCall: { id: `call-${id}`, name: 'process_refund', arguments: { invoice_id: 98 } },
    elicitation: {
      inputKey: 'approval',
      message: 'Approve?',
      requestedSchema: { type: 'object', properties: { approve: { type: 'boolean' } } },
      summary: { title: 'Refund of invoice 98 ($3.98)', key: 'refund:invoice:98' },
      requestState: 'sealed',
    },
    dedupeKey: 'process_refund:refund:invoice:98',
    createdAt: T0,
    expiresAt: at(60),
    traceparent: null,
    ...overrides,
  };
}

export interface OpenedStore {
  store: Store;
  /** Another store on the same database, as a second host process (replica) opens it. */
  replica: () => Promise<Store>;
  drop: () => Promise<void> | void;
}

/** Registers the contract's tests; `open` gives a store on an empty database and a way to drop it. */
export function storeContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`Store contract: ${name}`, () => {
    const withStore = (test: (store: Store, replica: () => Promise<Store>) => Promise<void>) => async () => {
      const { store, replica, drop } = await open();
      const replicas: Store[] = [];
      try {
        await test(store, async () => {
          const opened = await replica();
          replicas.push(opened);
          return opened;
        });
      } finally {
        for (const opened of [store, ...replicas]) await opened.close();
        await drop();
      }
    };
    const conversation = async (store: Store, id = 'c1', customerId = 1) =>
      store.createConversation({ id, customerId, title: 'Refund', now: T0 });

    it('keeps conversations per customer, newest first, and their messages in order', withStore(async (store) => {
      await conversation(store, 'c1');
      await conversation(store, 'c2');
      await conversation(store, 'other', 2);
      await store.appendMessages('c1', [{ message: { role: 'user', content: 'hi' }, agent: null }, text('hello')], at(1));
      await store.appendMessages('c1', [text('again')], at(2));
      expect((await store.listConversations(1)).map((c) => c.id)).toEqual(['c1', 'c2']);
      expect(await store.getConversation('missing')).toBeUndefined();
      const messages = await store.loadMessages('c1');
      expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(messages.map((m) => m.agent)).toEqual([null, 'support_rep', 'support_rep']);
      expect(messages[2]!.message).toEqual(text('again').message);
    }));

    it('commits a step with its approval; the same request pending twice is one approval', withStore(async (store) => {
      await conversation(store);
      const first = await store.commitTurn({ conversationId: 'c1', messages: [text('waiting')], now: T0, approval: approval('a1', 'c1') });
      expect(first).toMatchObject({ applied: true, approval: { type: 'created', approval: { id: 'a1', status: 'pending', answer: null } } });
      const again = await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a2', 'c1') });
      expect(again.approval).toMatchObject({ type: 'existing', approval: { id: 'a1' } });
      const otherCustomer = await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a3', 'c1', { customerId: 2 }) });
      expect(otherCustomer.approval?.type).toBe('created');
      expect(await store.getApproval('a1')).toEqual((await store.listApprovalsForConversation('c1'))[0]);
      expect((await store.loadMessages('c1')).length).toBe(1);
    }));

    it('claims a decision exactly once, even when many arrive at the same moment', withStore(async (store) => {
      await conversation(store);
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a1', 'c1') });
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claimDecision('a1', { answer: i % 2 ? { action: 'decline' } : { action: 'accept', content: { approve: true } }, decidedBy: `admin ${i}`, now: at(1) })),
      );
      expect(claims.filter((c) => c.type === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.type === 'already_decided')).toHaveLength(19);
      const won = claims.find((c) => c.type === 'claimed')!;
      expect(await store.getApproval('a1')).toEqual(won.type === 'claimed' ? won.approval : undefined);
      expect(await store.claimDecision('nope', { answer: { action: 'cancel' }, decidedBy: 'x', now: at(1) })).toEqual({ type: 'not_found' });
    }));

    it('expires instead of claiming past the deadline, and the sweep expires each approval once', withStore(async (store) => {
      await conversation(store);
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('late', 'c1') });
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('swept', 'c1', { dedupeKey: 'other' }) });
      const late = await store.claimDecision('late', { answer: { action: 'decline' }, decidedBy: 'x', now: at(61) });
      expect(late).toMatchObject({ type: 'expired', approval: { status: 'expired', answer: null } });
      expect((await store.expireDue(at(61))).map((a) => a.id)).toEqual(['swept']);
      expect(await store.expireDue(at(62))).toEqual([]);
    }));

    it('counts the approvals still waiting and lists the decisions made since a time', withStore(async (store) => {
      await conversation(store);
      expect(await store.approvalActivity({ decidedSince: T0, now: T0 })).toEqual({ waiting: 0, decisions: [] });
      for (const id of ['old', 'new', 'open', 'lapsed']) {
        await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval(id, 'c1', { dedupeKey: id, ...(id === 'lapsed' ? { expiresAt: at(10) } : {}) }) });
      }
      await store.claimDecision('old', { answer: { action: 'decline' }, decidedBy: 'ada', now: at(5) });
      await store.claimDecision('new', { answer: { action: 'accept', content: { approve: true } }, decidedBy: 'ada', now: at(30) });
      // `lapsed` is past its expiry though the sweep has not marked it: it waits for no one.
      expect(await store.approvalActivity({ decidedSince: at(20), now: at(31) })).toEqual({ waiting: 1, decisions: [{ createdAt: T0, decidedAt: at(30) }] });
      expect((await store.approvalActivity({ decidedSince: T0, now: at(1) })).decisions.map((d) => d.decidedAt)).toEqual([at(5), at(30)]);
    }));

    it('stores a tool result once and completes a turn once', withStore(async (store) => {
      await conversation(store);
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a1', 'c1') });
      const early = await store.commitTurn({ conversationId: 'c1', messages: [text('too early')], now: at(1), completes: { approvalId: 'a1' } });
      expect(early.applied).toBe(false); // a pending approval has nothing to complete
      await store.claimDecision('a1', { answer: { action: 'accept', content: { approve: true } }, decidedBy: 'ada', now: at(1) });
      expect((await store.listUnfinished()).map((a) => a.id)).toEqual(['a1']);

      const result = [text('tool said yes')];
      const recorded = await store.recordToolResult('a1', { messages: result, outcome: 'Refunded', now: at(2) });
      expect(recorded).toMatchObject({ recordedNow: true, approval: { resultAt: at(2), outcome: 'Refunded', completedAt: null } });
      expect((await store.recordToolResult('a1', { messages: result, outcome: 'again', now: at(3) })).recordedNow).toBe(false);
      expect((await store.listUnfinished()).map((a) => a.id)).toEqual(['a1']);

      expect((await store.commitTurn({ conversationId: 'c1', messages: [text('done')], now: at(4), completes: { approvalId: 'a1' } })).applied).toBe(true);
      expect((await store.commitTurn({ conversationId: 'c1', messages: [text('done twice')], now: at(5), completes: { approvalId: 'a1' } })).applied).toBe(false);
      expect((await store.loadMessages('c1')).map((m) => (m.message.content as Array<{ text: string }>)[0]!.text)).toEqual(['tool said yes', 'done']);
      expect(await store.getApproval('a1')).toMatchObject({ status: 'accepted', outcome: 'Refunded', completedAt: at(4) });
      expect(await store.listUnfinished()).toEqual([]);
    }));

    it('lists expired approvals not yet announced as unfinished, and a failed tool call as failed', withStore(async (store) => {
      await conversation(store);
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('x', 'c1') });
      await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('f', 'c1', { dedupeKey: 'f' }) });
      await store.claimDecision('f', { answer: { action: 'accept', content: {} }, decidedBy: 'ada', now: at(1) });
      await store.recordToolResult('f', { messages: [], outcome: 'unreachable', status: 'failed', now: at(2) });
      await store.expireDue(at(61));
      expect((await store.listUnfinished()).map((a) => [a.id, a.status]).sort()).toEqual([['f', 'failed'], ['x', 'expired']]);
      expect((await store.listApprovals({ status: 'failed' })).map((a) => a.id)).toEqual(['f']);
    }));

    describe('two stores on one database (two replicas)', () => {
      it('claims a decision exactly once across them', withStore(async (store, replica) => {
        const other = await replica();
        await conversation(store);
        await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a1', 'c1') });
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).claimDecision('a1', { answer: { action: 'accept', content: { approve: true } }, decidedBy: `admin ${i}`, now: at(1) })),
        );
        expect(claims.filter((c) => c.type === 'claimed')).toHaveLength(1);
        expect(claims.filter((c) => c.type === 'already_decided')).toHaveLength(19);
        const won = claims.find((c) => c.type === 'claimed')!;
        expect(await other.getApproval('a1')).toEqual(won.type === 'claimed' ? won.approval : undefined);
      }));

      it('records one pending approval when both ask the same at once', withStore(async (store, replica) => {
        const other = await replica();
        await conversation(store);
        const [a, b] = await Promise.all([
          store.commitTurn({ conversationId: 'c1', messages: [text('from A')], now: T0, approval: approval('a1', 'c1') }),
          other.commitTurn({ conversationId: 'c1', messages: [text('from B')], now: T0, approval: approval('a2', 'c1') }),
        ]);
        expect([a.approval?.type, b.approval?.type].sort()).toEqual(['created', 'existing']);
        expect(a.approval?.approval.id).toBe(b.approval?.approval.id);
        expect((await store.listApprovalsForConversation('c1')).length).toBe(1);
        expect((await other.loadMessages('c1')).map((m) => m.seq)).toEqual([1, 2]);
      }));

      it('numbers messages appended at once from both without a gap or a clash', withStore(async (store, replica) => {
        const other = await replica();
        await conversation(store);
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).appendMessages('c1', [text(`${i}a`), text(`${i}b`)], at(i))),
        );
        const messages = await store.loadMessages('c1');
        expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        // Each call's messages stay together, in order.
        const texts = messages.map((m) => (m.message.content as Array<{ text: string }>)[0]!.text);
        for (let i = 0; i < 20; i += 2) expect(texts[i + 1]).toBe(texts[i]!.replace('a', 'b'));
      }));

      it('expires each approval once when both sweep at the same moment', withStore(async (store, replica) => {
        const other = await replica();
        await conversation(store);
        for (const id of ['e1', 'e2', 'e3', 'e4']) {
          await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval(id, 'c1', { dedupeKey: id }) });
        }
        const sweeps = await Promise.all([store.expireDue(at(61)), other.expireDue(at(61)), store.expireDue(at(61)), other.expireDue(at(61))]);
        expect(sweeps.flat().map((a) => a.id).sort()).toEqual(['e1', 'e2', 'e3', 'e4']);
      }));

      it('stores a tool result once and completes a turn once across them', withStore(async (store, replica) => {
        const other = await replica();
        await conversation(store);
        await store.commitTurn({ conversationId: 'c1', messages: [], now: T0, approval: approval('a1', 'c1') });
        await store.claimDecision('a1', { answer: { action: 'accept', content: { approve: true } }, decidedBy: 'ada', now: at(1) });
        const recorded = await Promise.all([store, other, store, other].map((s) => s.recordToolResult('a1', { messages: [text('result')], outcome: 'Refunded', now: at(2) })));
        expect(recorded.filter((r) => r.recordedNow)).toHaveLength(1);
        const completed = await Promise.all([store, other, store, other].map((s) => s.commitTurn({ conversationId: 'c1', messages: [text('answer')], now: at(3), completes: { approvalId: 'a1' } })));
        expect(completed.filter((c) => c.applied)).toHaveLength(1);
        expect((await other.loadMessages('c1')).map((m) => (m.message.content as Array<{ text: string }>)[0]!.text)).toEqual(['result', 'answer']);
      }));
    });
  });
}
