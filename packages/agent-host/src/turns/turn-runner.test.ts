// The turn runner on scripted models and in-memory tool sources, over a real SQLite store file: every entry
// (message, answer, recovery, expiry) goes through the same steps, each written once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../events/chat-events.ts';
import { createHub } from '../events/hub.ts';
import type { SupportPool } from '../mcp/support-pool.ts';
import { createScriptedModel, type ScriptedTurn } from '../model/scripted.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import type { ApprovalRecord, Store } from '../store/types.ts';
import { noTracing } from '../telemetry/agent-tracing.ts';
import { gatedTool, inMemoryServer, plainTool } from '../testing/in-memory-tools.ts';
import { createKeyedLock } from './keyed-lock.ts';
import { createTurnRunner } from './turn-runner.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const route = (agent: 'music_expert' | 'support_rep'): ScriptedTurn => ({ toolCalls: [{ name: 'route', arguments: { agent, reason: 'test' } }] });
const call = (name: string, args: Record<string, unknown> = {}): ScriptedTurn => ({ toolCalls: [{ name, arguments: args }] });

function setup(options: { supervisor?: ScriptedTurn[]; music?: ScriptedTurn[]; support?: ScriptedTurn[]; maxSteps?: number; now?: () => Date } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'turn-runner-'));
  let store: Store = openSqliteStore(join(dir, 'host.db'));
  cleanups.push(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const refund = gatedTool('refund');
  const tag = gatedTool('tag_album');
  const support = inMemoryServer('support', [refund.tool, plainTool('lookup', () => 'looked up')]);
  const catalog = inMemoryServer('catalog', [tag.tool, plainTool('search', () => 'found')]);
  const models = {
    supervisor: createScriptedModel(options.supervisor ?? []),
    music_expert: createScriptedModel(options.music ?? []),
    support_rep: createScriptedModel(options.support ?? []),
  };
  const conversationEvents = createHub<ChatEvent>();
  const approvalEvents = createHub<ApprovalRecord>();
  const pool = { forCustomer: () => support.source, connectionFor: () => support.connection } as unknown as SupportPool;
  let ids = 0;
  const build = () =>
    createTurnRunner({
      store,
      models,
      catalog: catalog.source,
      catalogConnection: catalog.connection,
      support: pool,
      directory: { get: (id: number) => ({ id, name: `Customer ${id}`, country: 'X' }), list: () => [], close: () => {} } as never,
      conversationEvents,
      approvalEvents,
      tracing: noTracing,
      clock: options.now ?? (() => new Date()),
      newId: () => `approval-${++ids}`,
      maxSteps: options.maxSteps ?? 4,
      approvalTtlMs: 60_000,
      withLock: createKeyedLock(),
      log: () => {},
    });
  const state = {
    runner: build(),
    store: () => store,
    models,
    refund,
    tag,
    support,
    catalog,
    queue: [] as ApprovalRecord[],
    streamed: [] as ChatEvent[],
    /** A new runner on the same database file, as after a restart. */
    restart() {
      store.close();
      store = openSqliteStore(join(dir, 'host.db'));
      state.runner = build();
    },
  };
  approvalEvents.subscribe('approvals', (approval) => state.queue.push(approval));
  return state;
}

async function ask(env: ReturnType<typeof setup>, message: string) {
  const events: ChatEvent[] = [];
  const result = await env.runner.runMessage({ customerId: 7, message, emit: (e) => events.push(e) });
  return { result, events };
}

const texts = async (store: Store, conversationId: string) =>
  (await store.loadMessages(conversationId)).flatMap(({ message }) =>
    message.role === 'assistant' ? message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])) : [],
  );

describe('one turn runner', () => {
  it('records an approval asked for inside a resumed turn, and that one can be answered too', async () => {
    const env = setup({
      supervisor: [route('support_rep')],
      support: [call('refund', { item: 'A' }), call('refund', { item: 'B' }), { text: 'Both handled.' }],
    });
    const { result } = await ask(env, 'refund A and B');
    const first = result.approval!;
    expect(first.status).toBe('pending');

    await env.runner.decide(first.id, { answer: { action: 'accept', content: { ok: true } }, decidedBy: 'ada' });
    await env.runner.drain();
    const pending = await env.store().listApprovals({ status: 'pending' });
    expect(pending.map((a) => a.toolCall.arguments)).toEqual([{ item: 'B' }]);
    expect(env.queue.map((a) => a.id)).toContain(pending[0]!.id);
    expect((await env.store().getApproval(first.id))?.completedAt).toEqual(expect.any(String));

    await env.runner.decide(pending[0]!.id, { answer: { action: 'accept', content: { ok: true, note: 'fine' } }, decidedBy: 'ada' });
    await env.runner.drain();
    expect(env.refund.applied.map((a) => a.arguments.item)).toEqual(['A', 'B']);
    expect((await texts(env.store(), result.conversationId)).at(-1)).toBe('Both handled.');
  });

  it('stores the step-limit notice of a resumed turn', async () => {
    const env = setup({
      maxSteps: 2,
      supervisor: [route('support_rep')],
      support: [call('refund', { item: 'A' }), call('lookup'), call('lookup')],
    });
    const { result } = await ask(env, 'refund A');
    await env.runner.decide(result.approval!.id, { answer: { action: 'accept', content: { ok: true } }, decidedBy: 'ada' });
    await env.runner.drain();
    expect((await texts(env.store(), result.conversationId)).at(-1)).toMatch(/couldn't finish this within 2 steps/);
    expect((await env.store().getApproval(result.approval!.id))?.completedAt).toEqual(expect.any(String));
  });

  it("resumes with the tools of the agent that asked (the music expert's, not support's)", async () => {
    const env = setup({
      supervisor: [route('music_expert')],
      music: [call('tag_album', { item: 'Rock' }), { text: 'Tagged.' }],
    });
    const { result } = await ask(env, 'tag Rock');
    await env.runner.decide(result.approval!.id, { answer: { action: 'accept', content: { ok: true } }, decidedBy: 'ada' });
    await env.runner.drain();
    const resumed = env.models.music_expert.requests.at(-1)!;
    expect(resumed.tools?.map((t) => t.name).sort()).toEqual(['search', 'tag_album']);
    expect(env.tag.applied).toHaveLength(1);
    expect(env.support.calls).toEqual([]);
  });

  it('finishes, after a restart, a turn whose tool call was answered but whose reply was never stored: once', async () => {
    const env = setup({ supervisor: [route('support_rep')], support: [call('refund', { item: 'A' }), new Error('host died here')] });
    const { result } = await ask(env, 'refund A');
    const id = result.approval!.id;
    await env.runner.decide(id, { answer: { action: 'accept', content: { ok: true } }, decidedBy: 'ada' });
    await env.runner.drain();
    expect(await env.store().getApproval(id)).toMatchObject({ resultAt: expect.any(String), completedAt: null });

    env.restart();
    env.models.support_rep.push({ text: 'Refunded A.' });
    expect(await env.runner.recover()).toBe(1);
    await env.runner.drain();
    expect(await env.runner.recover()).toBe(0);
    expect(env.refund.applied).toHaveLength(1);
    expect((await texts(env.store(), result.conversationId)).filter((t) => t === 'Refunded A.')).toHaveLength(1);
    expect((await env.store().getApproval(id))?.completedAt).toEqual(expect.any(String));
  });

  it('repeats an answered tool call that never came back, once the host restarts (the server sees one effect)', async () => {
    const env = setup({ supervisor: [route('support_rep')], support: [call('refund', { item: 'A' }), { text: 'Done.' }] });
    const { result } = await ask(env, 'refund A');
    const id = result.approval!.id;
    // Decided, then the host stopped before the tool call: only the claim is in the store.
    await env.store().claimDecision(id, { answer: { action: 'accept', content: { ok: true } }, decidedBy: 'ada', now: new Date().toISOString() });
    env.restart();
    await env.runner.recover();
    await env.runner.drain();
    await env.runner.recover();
    await env.runner.drain();
    expect(env.refund.applied).toHaveLength(1);
    expect((await texts(env.store(), result.conversationId)).filter((t) => t === 'Done.')).toHaveLength(1);
  });

  it('refuses an answer that does not fit the form, and changes nothing', async () => {
    const env = setup({ supervisor: [route('support_rep')], support: [call('refund', { item: 'A' })] });
    const { result } = await ask(env, 'refund A');
    const id = result.approval!.id;
    for (const content of [{ ok: true, note: 5 }, { ok: 'yes' }, { ok: true, note: 'x'.repeat(21) }, { ok: true, extra: 1 }]) {
      await expect(env.runner.decide(id, { answer: { action: 'accept', content: content as never }, decidedBy: 'ada' })).rejects.toMatchObject({
        kind: 'bad_request',
      });
    }
    expect(await env.store().getApproval(id)).toMatchObject({ status: 'pending', answer: null });
    expect(env.support.calls.filter((c) => c.options.requestState)).toEqual([]);
  });

  it('sends a decline or cancel back as such, and the specialist answers from the result', async () => {
    for (const action of ['decline', 'cancel'] as const) {
      const env = setup({ supervisor: [route('support_rep')], support: [call('refund', { item: 'A' }), { text: `You ${action}d.` }] });
      const { result } = await ask(env, 'refund A');
      const decided = await env.runner.decide(result.approval!.id, { answer: { action }, decidedBy: 'ada' });
      await env.runner.drain();
      expect(decided.status).toBe(action === 'decline' ? 'declined' : 'cancelled');
      expect(env.support.calls.at(-1)?.options.inputResponses).toEqual({ confirm: { action } });
      expect(env.refund.applied).toEqual([]);
    }
  });

  it('tells the customer once when an approval expires, and refuses a late answer', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const env = setup({ now: () => now, supervisor: [route('support_rep')], support: [call('refund', { item: 'A' })] });
    const { result } = await ask(env, 'refund A');
    now = new Date('2026-01-01T00:02:00Z');
    expect(await env.runner.sweepExpired()).toBe(1);
    expect(await env.runner.sweepExpired()).toBe(0);
    await expect(env.runner.decide(result.approval!.id, { answer: { action: 'decline' }, decidedBy: 'ada' })).rejects.toMatchObject({ kind: 'conflict' });
    const all = await texts(env.store(), result.conversationId);
    expect(all.filter((t) => /expired before a store admin decided/.test(t))).toHaveLength(1);
  });

  it('keeps one pending approval when the same thing is asked twice', async () => {
    const env = setup({
      supervisor: [route('support_rep'), route('support_rep')],
      support: [call('refund', { item: 'A' }), call('refund', { item: 'A' })],
    });
    const first = await ask(env, 'refund A');
    const second = await env.runner.runMessage({ customerId: 7, conversationId: first.result.conversationId, message: 'refund A again', emit: () => {} });
    expect(second.approval?.id).toBe(first.result.approval?.id);
    expect(await env.store().listApprovals({})).toHaveLength(1);
  });
});

describe('a form in several rounds', () => {
  it('records the second round as a new approval of the same call, completing the first', async () => {
    const env = setup({ supervisor: [route('support_rep')], support: [call('survey'), { text: 'Thanks.' }] });
    let round = 0;
    const survey = inMemoryServer('support', [
      {
        definition: { name: 'survey', description: 'survey', inputSchema: { type: 'object', properties: {} } },
        call: (request, options) => {
          round++;
          if (round <= 2) {
            const schema = { type: 'object', properties: { answer: { type: 'string', enum: ['a', 'b'], enumNames: ['A', 'B'] } }, required: ['answer'] };
            return { type: 'input_required', input: { inputKey: 'q', message: `Question ${round}`, requestedSchema: schema, summary: null, requestState: `round-${round}` } };
          }
          return { type: 'result', result: { type: 'tool-result', callId: request.id, name: 'survey', output: `answered ${JSON.stringify(options.inputResponses)}` } };
        },
      },
    ]);
    env.support.source.callTool = survey.source.callTool;
    env.support.connection.callTool = survey.connection.callTool;
    const { result } = await ask(env, 'take the survey');
    const first = await env.runner.decide(result.approval!.id, { answer: { action: 'accept', content: { answer: 'a' } }, decidedBy: 'ada' });
    expect(first).toMatchObject({ status: 'accepted', completedAt: expect.any(String) });
    const [second] = await env.store().listApprovals({ status: 'pending' });
    expect(second).toMatchObject({ elicitation: { message: 'Question 2', requestState: 'round-2' }, toolCall: { name: 'survey' } });
    await expect(env.runner.decide(second!.id, { answer: { action: 'accept', content: { answer: 'c' } }, decidedBy: 'ada' })).rejects.toMatchObject({ kind: 'bad_request' });
    await env.runner.decide(second!.id, { answer: { action: 'accept', content: { answer: 'b' } }, decidedBy: 'ada' });
    await env.runner.drain();
    expect((await texts(env.store(), result.conversationId)).at(-1)).toBe('Thanks.');
  });
});
