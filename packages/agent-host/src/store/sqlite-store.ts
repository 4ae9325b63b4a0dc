import Database from 'better-sqlite3';
import type { ChatMessage } from '../model/types.ts';
import { BUSY_TIMEOUT_MS, LOCK_WAIT_MS, whenFree } from './when-free.ts';
import type {
  AgentName,
  ApprovalRecord,
  ApprovalStatus,
  ClaimResult,
  CreateResult,
  ConversationRecord,
  NewApproval,
  Store,
  StoredMessage,
} from './types.ts';

const MIGRATIONS: string[] = [
  `CREATE TABLE conversation (
     id TEXT PRIMARY KEY,
     customer_id INTEGER NOT NULL,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX conversation_by_customer ON conversation (customer_id, updated_at DESC);
   CREATE TABLE message (
     conversation_id TEXT NOT NULL REFERENCES conversation (id),
     seq INTEGER NOT NULL,
     role TEXT NOT NULL,
     agent TEXT,
     content TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (conversation_id, seq)
   );
   CREATE TABLE approval (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('pending','approved','declined','expired','failed')),
     conversation_id TEXT NOT NULL REFERENCES conversation (id),
     customer_id INTEGER NOT NULL,
     customer_name TEXT NOT NULL,
     agent TEXT NOT NULL,
     tool_name TEXT NOT NULL,
     tool_call_id TEXT NOT NULL,
     arguments TEXT NOT NULL,
     input_key TEXT NOT NULL,
     message TEXT NOT NULL,
     requested_schema TEXT NOT NULL,
     request_state TEXT NOT NULL,
     invoice_id INTEGER NOT NULL,
     amount REAL NOT NULL,
     reason TEXT,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     decided_at TEXT,
     decided_by TEXT,
     note TEXT,
     completed_at TEXT,
     outcome TEXT,
     traceparent TEXT
   );
   CREATE INDEX approval_by_status ON approval (status, created_at DESC);
   CREATE INDEX approval_by_conversation ON approval (conversation_id);`,
  // One pending approval per customer and invoice, however many host processes share this file.
  `CREATE UNIQUE INDEX approval_one_pending ON approval (customer_id, invoice_id) WHERE status = 'pending';`,
];

interface ApprovalRow {
  id: string;
  status: ApprovalStatus;
  conversation_id: string;
  customer_id: number;
  customer_name: string;
  agent: AgentName;
  tool_name: string;
  tool_call_id: string;
  arguments: string;
  input_key: string;
  message: string;
  requested_schema: string;
  request_state: string;
  invoice_id: number;
  amount: number;
  reason: string | null;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
  completed_at: string | null;
  outcome: string | null;
  traceparent: string | null;
}

interface ConversationRow {
  id: string;
  customer_id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

const toConversation = (row: ConversationRow): ConversationRecord => ({
  id: row.id,
  customerId: row.customer_id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toApproval = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  status: row.status,
  conversationId: row.conversation_id,
  customerId: row.customer_id,
  customerName: row.customer_name,
  agent: row.agent,
  toolName: row.tool_name,
  toolCallId: row.tool_call_id,
  arguments: JSON.parse(row.arguments) as Record<string, unknown>,
  inputKey: row.input_key,
  message: row.message,
  requestedSchema: JSON.parse(row.requested_schema) as Record<string, unknown>,
  requestState: row.request_state,
  invoiceId: row.invoice_id,
  amount: row.amount,
  reason: row.reason,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
  note: row.note,
  completedAt: row.completed_at,
  outcome: row.outcome,
  traceparent: row.traceparent,
});

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let index = version; index < MIGRATIONS.length; index++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[index]!);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}

export function openSqliteStore(path: string): Store {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`); // at start nothing else is served yet: SQLite may wait itself
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`); // from now on, longer waits happen off the event loop (whenFree)

  const statements = {
    insertConversation: db.prepare(
      'INSERT INTO conversation (id, customer_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getConversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversation WHERE id = ?'),
    listConversations: db.prepare<[number, number], ConversationRow>(
      'SELECT * FROM conversation WHERE customer_id = ? ORDER BY updated_at DESC LIMIT ?',
    ),
    nextSeq: db.prepare<[string], { next: number }>(
      'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM message WHERE conversation_id = ?',
    ),
    insertMessage: db.prepare(
      'INSERT INTO message (conversation_id, seq, role, agent, content, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    touchConversation: db.prepare('UPDATE conversation SET updated_at = ? WHERE id = ?'),
    loadMessages: db.prepare<[string], { seq: number; agent: AgentName | null; content: string; created_at: string }>(
      'SELECT seq, agent, content, created_at FROM message WHERE conversation_id = ? ORDER BY seq',
    ),
    insertApproval: db.prepare(
      `INSERT INTO approval (id, status, conversation_id, customer_id, customer_name, agent, tool_name, tool_call_id,
         arguments, input_key, message, requested_schema, request_state, invoice_id, amount, reason, created_at,
         expires_at, traceparent)
       VALUES (@id, 'pending', @conversationId, @customerId, @customerName, @agent, @toolName, @toolCallId,
         @arguments, @inputKey, @message, @requestedSchema, @requestState, @invoiceId, @amount, @reason, @createdAt,
         @expiresAt, @traceparent)
       ON CONFLICT (customer_id, invoice_id) WHERE status = 'pending' DO NOTHING`,
    ),
    getApproval: db.prepare<[string], ApprovalRow>('SELECT * FROM approval WHERE id = ?'),
    listApprovals: db.prepare<[number], ApprovalRow>('SELECT * FROM approval ORDER BY created_at DESC LIMIT ?'),
    listApprovalsByStatus: db.prepare<[string, number], ApprovalRow>(
      'SELECT * FROM approval WHERE status = ? ORDER BY created_at DESC LIMIT ?',
    ),
    listApprovalsForConversation: db.prepare<[string], ApprovalRow>(
      'SELECT * FROM approval WHERE conversation_id = ? ORDER BY created_at',
    ),
    claim: db.prepare(
      `UPDATE approval SET status = @status, decided_at = @now, decided_by = @decidedBy, note = @note
       WHERE id = @id AND status = 'pending' AND expires_at > @now`,
    ),
    expireOne: db.prepare(
      `UPDATE approval SET status = 'expired', completed_at = @now, outcome = 'Expired without a decision.'
       WHERE id = @id AND status = 'pending'`,
    ),
    complete: db.prepare(
      `UPDATE approval SET status = COALESCE(@status, status), completed_at = @now, outcome = @outcome
       WHERE id = @id AND completed_at IS NULL`,
    ),
    dueForExpiry: db.prepare<[string], ApprovalRow>(
      `SELECT * FROM approval WHERE status = 'pending' AND expires_at <= ?`,
    ),
    findPending: db.prepare<[number, number], ApprovalRow>(
      `SELECT * FROM approval WHERE customer_id = ? AND invoice_id = ? AND status = 'pending' LIMIT 1`,
    ),
    unfinished: db.prepare<[], ApprovalRow>(
      `SELECT * FROM approval WHERE status IN ('approved','declined') AND completed_at IS NULL ORDER BY decided_at`,
    ),
  };

  const appendMessages = db.transaction(
    (conversationId: string, messages: Array<{ message: ChatMessage; agent: AgentName | null }>, now: string) => {
      let seq = statements.nextSeq.get(conversationId)!.next;
      for (const { message, agent } of messages) {
        statements.insertMessage.run(conversationId, seq++, message.role, agent, JSON.stringify(message), now);
      }
      statements.touchConversation.run(now, conversationId);
    },
  );

  const claimDecision = db.transaction(
    (id: string, input: { decision: 'approve' | 'decline'; decidedBy: string; note: string | null; now: string }) => {
      const status = input.decision === 'approve' ? 'approved' : 'declined';
      const changed = statements.claim.run({ id, status, ...input }).changes;
      const row = statements.getApproval.get(id);
      if (!row) return { type: 'not_found' } as const;
      if (changed === 1) return { type: 'claimed', approval: toApproval(row) } as const;
      if (row.status === 'pending') {
        statements.expireOne.run({ id, now: input.now });
        return { type: 'expired', approval: toApproval(statements.getApproval.get(id)!) } as const;
      }
      if (row.status === 'expired') return { type: 'expired', approval: toApproval(row) } as const;
      return { type: 'already_decided', approval: toApproval(row) } as const;
    },
  );

  const completeApproval = db.transaction(
    (
      id: string,
      status: ApprovalStatus | null,
      outcome: string,
      now: string,
      messages: Array<{ message: ChatMessage; agent: AgentName | null }>,
    ) => {
      const completedNow = statements.complete.run({ id, status, outcome, now }).changes === 1;
      const approval = toApproval(statements.getApproval.get(id)!);
      if (completedNow && messages.length > 0) appendMessages(approval.conversationId, messages, now);
      return { approval, completedNow };
    },
  );

  const createApproval = db.transaction((approval: NewApproval): CreateResult => {
    const inserted = statements.insertApproval.run({
      ...approval,
      arguments: JSON.stringify(approval.arguments),
      requestedSchema: JSON.stringify(approval.requestedSchema),
    }).changes;
    if (inserted === 1) return { type: 'created', approval: toApproval(statements.getApproval.get(approval.id)!) };
    return { type: 'existing', approval: toApproval(statements.findPending.get(approval.customerId, approval.invoiceId)!) };
  });

  const expireDue = db.transaction((now: string) => {
    const due = statements.dueForExpiry.all(now);
    for (const row of due) statements.expireOne.run({ id: row.id, now });
    return due.map((row) => toApproval(statements.getApproval.get(row.id)!));
  });

  return {
    createConversation: ({ id, customerId, title, now }) =>
      whenFree(() => {
        statements.insertConversation.run(id, customerId, title, now, now);
        return { id, customerId, title, createdAt: now, updatedAt: now };
      }),
    getConversation: (id) => whenFree(() => {
      const row = statements.getConversation.get(id);
      return row && toConversation(row);
    }),
    listConversations: (customerId, limit = 50) => whenFree(() => statements.listConversations.all(customerId, limit).map(toConversation)),
    appendMessages: (conversationId, messages, now) => whenFree(() => appendMessages.immediate(conversationId, messages, now)),
    loadMessages: (conversationId) =>
      whenFree((): StoredMessage[] =>
        statements.loadMessages.all(conversationId).map((row) => ({
          seq: row.seq,
          agent: row.agent,
          message: JSON.parse(row.content) as ChatMessage,
          createdAt: row.created_at,
        })),
      ),
    createApproval: (approval: NewApproval) =>
      whenFree(() => createApproval.immediate(approval)),
    getApproval: (id) => whenFree(() => {
      const row = statements.getApproval.get(id);
      return row && toApproval(row);
    }),
    listApprovals: ({ status, limit = 100 }) =>
      whenFree(() => (status ? statements.listApprovalsByStatus.all(status, limit) : statements.listApprovals.all(limit)).map(toApproval)),
    listApprovalsForConversation: (conversationId) => whenFree(() => statements.listApprovalsForConversation.all(conversationId).map(toApproval)),
    claimDecision: (id, input): Promise<ClaimResult> => whenFree(() => claimDecision.immediate(id, input)),
    completeApproval: (id, { status, outcome, now, messages }) =>
      whenFree(() => completeApproval.immediate(id, status ?? null, outcome, now, messages ?? [])),
    findPending: (customerId, invoiceId) => whenFree(() => {
      const row = statements.findPending.get(customerId, invoiceId);
      return row && toApproval(row);
    }),
    expireDue: (now) => whenFree(() => expireDue.immediate(now)),
    listUnfinished: () => whenFree(() => statements.unfinished.all().map(toApproval)),
    ping: () => whenFree(() => {
      db.prepare('SELECT 1').get();
    }),
    close() {
      if (db.open) db.close();
    },
  };
}
