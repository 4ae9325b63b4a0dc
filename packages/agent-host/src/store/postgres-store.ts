import { createRequire } from 'node:module';
import type { Pool, PoolClient, PoolConfig } from 'pg';
import { migrate } from './postgres/migrate.ts';
import { toApproval, toConversation, toMessage, type ApprovalRow, type ConversationRow, type MessageRow } from './postgres/rows.ts';
import * as sql from './postgres/sql.ts';
import type { ApprovalRecord, ClaimResult, CreateResult, NewApproval, NewMessage, Store } from './types.ts';

const STATUS_OF_ACTION = { accept: 'accepted', decline: 'declined', cancel: 'cancelled' } as const;
const TIMESTAMPTZ_OID = 1184;

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  url: string;
  /** Connections this process may hold (default 10). */
  maxConnections?: number;
  /** Reports errors of idle pooled connections (e.g. the server restarted); they are dropped, not fatal. */
  onError?: (error: Error) => void;
}

type Queryable = Pick<PoolClient, 'query'>;

/**
 * The Store on PostgreSQL, for any number of host replicas sharing one database. Every atomic step is one
 * statement (sql.ts) or a short transaction whose first statement takes the row lock it needs.
 *
 * `pg` is loaded with `require` when the store opens, not imported: the OpenTelemetry pg instrumentation
 * patches it through the require hook, and it must be registered first (compose.ts does that).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const defaultParser = pg.types.getTypeParser(TIMESTAMPTZ_OID);
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    // The records carry ISO strings (`2026-01-01T00:00:00.000Z`), exactly as the SQLite store keeps them.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === TIMESTAMPTZ_OID
          ? (value: string) => (defaultParser(value) as Date).toISOString()
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool: Pool = new pg.Pool(config);
  // An idle connection that breaks (server restart) emits here; without a listener it would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const rows = async <R extends object>(db: Queryable, text: string, values: unknown[] = []): Promise<R[]> =>
    (await db.query<R>(text, values)).rows;

  const transaction = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  const appendMessages = async (db: Queryable, conversationId: string, messages: NewMessage[], now: string) => {
    await db.query(sql.TOUCH_CONVERSATION, [conversationId, now]);
    if (messages.length === 0) return;
    await db.query(sql.INSERT_MESSAGES, [
      conversationId,
      now,
      messages.map((m) => m.message.role),
      messages.map((m) => m.agent),
      messages.map((m) => JSON.stringify(m.message)),
    ]);
  };

  const approvalById = async (db: Queryable, id: string) => {
    const [row] = await rows<ApprovalRow>(db, sql.GET_APPROVAL, [id]);
    return row && toApproval(row);
  };

  const insertApproval = async (db: Queryable, approval: NewApproval): Promise<CreateResult> => {
    // A pending twin may be decided between the insert and the look-up: then the insert succeeds on the next round.
    for (let round = 0; round < 3; round++) {
      const [created] = await rows<ApprovalRow>(db, sql.INSERT_APPROVAL, [
        approval.id,
        approval.conversationId,
        approval.customerId,
        approval.customerName,
        approval.agent,
        JSON.stringify(approval.toolCall),
        JSON.stringify(approval.elicitation),
        approval.dedupeKey,
        approval.createdAt,
        approval.expiresAt,
        approval.traceparent,
      ]);
      if (created) return { type: 'created', approval: toApproval(created) };
      const [pending] = await rows<ApprovalRow>(db, sql.FIND_PENDING, [approval.customerId, approval.dedupeKey]);
      if (pending) return { type: 'existing', approval: toApproval(pending) };
    }
    throw new Error(`approval ${approval.id}: its pending twin keeps changing`);
  };

  let closing: Promise<void> | undefined;
  return {
    async createConversation({ id, customerId, title, now }) {
      const [row] = await rows<ConversationRow>(pool, sql.INSERT_CONVERSATION, [id, customerId, title, now]);
      return toConversation(row!);
    },
    async getConversation(id) {
      const [row] = await rows<ConversationRow>(pool, sql.GET_CONVERSATION, [id]);
      return row && toConversation(row);
    },
    async listConversations(customerId, limit = 50) {
      return (await rows<ConversationRow>(pool, sql.LIST_CONVERSATIONS, [customerId, limit])).map(toConversation);
    },
    appendMessages: (conversationId, messages, now) => transaction((client) => appendMessages(client, conversationId, messages, now)),
    async loadMessages(conversationId) {
      return (await rows<MessageRow>(pool, sql.LOAD_MESSAGES, [conversationId])).map(toMessage);
    },

    commitTurn: (commit) =>
      transaction(async (client) => {
        if (commit.completes) {
          const { approvalId, outcome, status } = commit.completes;
          const done = await client.query(sql.COMPLETE, [approvalId, status ?? null, commit.now, outcome ?? null]);
          if (done.rowCount === 0) return { applied: false }; // nothing written: the empty transaction commits
        }
        await appendMessages(client, commit.conversationId, commit.messages, commit.now);
        return { applied: true, ...(commit.approval ? { approval: await insertApproval(client, commit.approval) } : {}) };
      }),
    getApproval: (id) => approvalById(pool, id),
    async listApprovals({ status, limit = 100 }) {
      return (await rows<ApprovalRow>(pool, sql.LIST_APPROVALS, [status ?? null, limit])).map(toApproval);
    },
    async listApprovalsForConversation(conversationId) {
      return (await rows<ApprovalRow>(pool, sql.LIST_APPROVALS_FOR_CONVERSATION, [conversationId])).map(toApproval);
    },
    async approvalActivity({ decidedSince, now }) {
      const [count] = await rows<{ waiting: number }>(pool, sql.COUNT_WAITING, [now]);
      const decided = await rows<{ created_at: string; decided_at: string }>(pool, sql.DECIDED_SINCE, [decidedSince]);
      return { waiting: count!.waiting, decisions: decided.map((row) => ({ createdAt: row.created_at, decidedAt: row.decided_at })) };
    },
    async claimDecision(id, { answer, decidedBy, now }): Promise<ClaimResult> {
      const status = STATUS_OF_ACTION[answer.action];
      const [claimed] = await rows<ApprovalRow>(pool, sql.CLAIM_DECISION, [id, status, now, decidedBy, JSON.stringify(answer)]);
      if (claimed) return { type: 'claimed', approval: toApproval(claimed) };
      const [expired] = await rows<ApprovalRow>(pool, sql.EXPIRE_ONE, [id, now]);
      if (expired) return { type: 'expired', approval: toApproval(expired) };
      // A new statement, so it sees whatever the winner committed.
      const current = await approvalById(pool, id);
      if (!current) return { type: 'not_found' };
      if (current.status === 'expired') return { type: 'expired', approval: current };
      return { type: 'already_decided', approval: current };
    },
    recordToolResult: (id, input) =>
      transaction(async (client) => {
        const [recorded] = await rows<ApprovalRow>(client, sql.RECORD_RESULT, [id, input.status ?? null, input.now, input.outcome]);
        if (recorded) {
          await appendMessages(client, recorded.conversation_id, input.messages, input.now);
          return { approval: toApproval(recorded), recordedNow: true };
        }
        const approval = await approvalById(client, id);
        if (!approval) throw new Error(`approval ${id} not found`);
        return { approval, recordedNow: false };
      }),
    async expireDue(now) {
      const expired = (await rows<ApprovalRow>(pool, sql.EXPIRE_DUE, [now])).map(toApproval);
      return expired.sort(byCreation);
    },
    async listUnfinished() {
      return (await rows<ApprovalRow>(pool, sql.LIST_UNFINISHED)).map(toApproval);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

const byCreation = (a: ApprovalRecord, b: ApprovalRecord) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
