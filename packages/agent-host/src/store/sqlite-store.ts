import Database from 'better-sqlite3';
import type { ChatMessage } from '../model/types.ts';
import { BUSY_TIMEOUT_MS, LOCK_WAIT_MS, whenFree } from './when-free.ts';
import type {
  AgentName,
  ApprovalRecord,
  ApprovalStatus,
  ClaimResult,
  ConversationRecord,
  CreateResult,
  ElicitationAnswer,
  NewApproval,
  NewMessage,
  Store,
  StoredMessage,
  TurnCommit,
} from './types.ts';

const STATUS_OF_ACTION = { accept: 'accepted', decline: 'declined', cancel: 'cancelled' } as const;

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
  // Approvals become generic elicitation requests; the refund rows of earlier versions are carried over.
  `CREATE TABLE approval_v3 (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('pending','accepted','declined','cancelled','expired','failed')),
     conversation_id TEXT NOT NULL REFERENCES conversation (id),
     customer_id INTEGER NOT NULL,
     customer_name TEXT NOT NULL,
     agent TEXT NOT NULL,
     tool_call TEXT NOT NULL,
     elicitation TEXT NOT NULL,
     dedupe_key TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     decided_at TEXT,
     decided_by TEXT,
     answer TEXT,
     result_at TEXT,
     completed_at TEXT,
     outcome TEXT,
     traceparent TEXT
   );
   INSERT INTO approval_v3
     SELECT id,
       CASE status WHEN 'approved' THEN 'accepted' ELSE status END,
       conversation_id, customer_id, customer_name, agent,
       json_object('id', tool_call_id, 'name', tool_name, 'arguments', json(arguments)),
       json_object('inputKey', input_key, 'message', message, 'requestedSchema', json(requested_schema),
         'summary', json_object('title', printf('Refund of invoice %d ($%.2f)', invoice_id, amount),
           'key', printf('refund:invoice:%d', invoice_id)),
         'requestState', request_state),
       tool_name || ':' || printf('refund:invoice:%d', invoice_id),
       created_at, expires_at, decided_at, decided_by,
       CASE status
         WHEN 'approved' THEN json_object('action', 'accept', 'content', json_object('approve', json('true'), 'note', COALESCE(note, '')))
         WHEN 'declined' THEN json_object('action', 'decline')
       END,
       completed_at, completed_at, outcome, traceparent
     FROM approval;
   DROP TABLE approval;
   ALTER TABLE approval_v3 RENAME TO approval;
   CREATE INDEX approval_by_status ON approval (status, created_at DESC);
   CREATE INDEX approval_by_conversation ON approval (conversation_id);
   CREATE INDEX approval_unfinished ON approval (status) WHERE completed_at IS NULL;
   CREATE UNIQUE INDEX approval_one_pending ON approval (customer_id, dedupe_key) WHERE status = 'pending';`,
];

interface ApprovalRow {
  id: string;
  status: ApprovalStatus;
  conversation_id: string;
  customer_id: number;
  customer_name: string;
  agent: AgentName;
  tool_call: string;
  elicitation: string;
  dedupe_key: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  answer: string | null;
  result_at: string | null;
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
  toolCall: JSON.parse(row.tool_call) as ApprovalRecord['toolCall'],
  elicitation: JSON.parse(row.elicitation) as ApprovalRecord['elicitation'],
  dedupeKey: row.dedupe_key,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
  answer: row.answer === null ? null : (JSON.parse(row.answer) as ApprovalRecord['answer']),
  resultAt: row.result_at,
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
      `INSERT INTO approval (id, status, conversation_id, customer_id, customer_name, agent, tool_call, elicitation,
         dedupe_key, created_at, expires_at, traceparent)
       VALUES (@id, 'pending', @conversationId, @customerId, @customerName, @agent, @toolCall, @elicitation,
         @dedupeKey, @createdAt, @expiresAt, @traceparent)
       ON CONFLICT (customer_id, dedupe_key) WHERE status = 'pending' DO NOTHING`,
    ),
    getApproval: db.prepare<[string], ApprovalRow>('SELECT * FROM approval WHERE id = ?'),
    listApprovals: db.prepare<[number], ApprovalRow>('SELECT * FROM approval ORDER BY created_at DESC LIMIT ?'),
    listApprovalsByStatus: db.prepare<[string, number], ApprovalRow>(
      'SELECT * FROM approval WHERE status = ? ORDER BY created_at DESC LIMIT ?',
    ),
    listApprovalsForConversation: db.prepare<[string], ApprovalRow>(
      'SELECT * FROM approval WHERE conversation_id = ? ORDER BY created_at',
    ),
    countWaiting: db.prepare<[string], { waiting: number }>(
      `SELECT COUNT(*) AS waiting FROM approval WHERE status = 'pending' AND expires_at > ?`,
    ),
    decidedSince: db.prepare<[string], { created_at: string; decided_at: string }>(
      'SELECT created_at, decided_at FROM approval WHERE decided_at >= ? ORDER BY decided_at',
    ),
    claim: db.prepare(
      `UPDATE approval SET status = @status, decided_at = @now, decided_by = @decidedBy, answer = @answer
       WHERE id = @id AND status = 'pending' AND expires_at > @now`,
    ),
    expireOne: db.prepare(
      `UPDATE approval SET status = 'expired', outcome = 'Expired without a decision.' WHERE id = @id AND status = 'pending'`,
    ),
    recordResult: db.prepare(
      `UPDATE approval SET status = COALESCE(@status, status), result_at = @now, outcome = @outcome
       WHERE id = @id AND result_at IS NULL AND completed_at IS NULL`,
    ),
    complete: db.prepare(
      `UPDATE approval SET status = COALESCE(@status, status), completed_at = @now, outcome = COALESCE(@outcome, outcome)
       WHERE id = @id AND completed_at IS NULL AND status <> 'pending'`,
    ),
    dueForExpiry: db.prepare<[string], ApprovalRow>(
      `SELECT * FROM approval WHERE status = 'pending' AND expires_at <= ?`,
    ),
    findPending: db.prepare<[number, string], ApprovalRow>(
      `SELECT * FROM approval WHERE customer_id = ? AND dedupe_key = ? AND status = 'pending' LIMIT 1`,
    ),
    unfinished: db.prepare<[], ApprovalRow>(
      `SELECT * FROM approval WHERE status <> 'pending' AND completed_at IS NULL ORDER BY COALESCE(decided_at, expires_at)`,
    ),
  };

  const approvalById = (id: string) => {
    const row = statements.getApproval.get(id);
    return row && toApproval(row);
  };

  const appendMessages = db.transaction((conversationId: string, messages: NewMessage[], now: string) => {
    let seq = statements.nextSeq.get(conversationId)!.next;
    for (const { message, agent } of messages) {
      statements.insertMessage.run(conversationId, seq++, message.role, agent, JSON.stringify(message), now);
    }
    statements.touchConversation.run(now, conversationId);
  });

  const claimDecision = db.transaction(
    (id: string, input: { answer: ElicitationAnswer; decidedBy: string; now: string }): ClaimResult => {
      const status = STATUS_OF_ACTION[input.answer.action];
      const changed = statements.claim.run({
        id,
        status,
        now: input.now,
        decidedBy: input.decidedBy,
        answer: JSON.stringify(input.answer),
      }).changes;
      const row = statements.getApproval.get(id);
      if (!row) return { type: 'not_found' };
      if (changed === 1) return { type: 'claimed', approval: toApproval(row) };
      if (row.status === 'pending') {
        statements.expireOne.run({ id });
        return { type: 'expired', approval: approvalById(id)! };
      }
      if (row.status === 'expired') return { type: 'expired', approval: toApproval(row) };
      return { type: 'already_decided', approval: toApproval(row) };
    },
  );

  const insertApproval = (approval: NewApproval): CreateResult => {
    const inserted = statements.insertApproval.run({
      ...approval,
      toolCall: JSON.stringify(approval.toolCall),
      elicitation: JSON.stringify(approval.elicitation),
    }).changes;
    if (inserted === 1) return { type: 'created', approval: approvalById(approval.id)! };
    return { type: 'existing', approval: toApproval(statements.findPending.get(approval.customerId, approval.dedupeKey)!) };
  };

  const commitTurn = db.transaction((commit: TurnCommit) => {
    if (commit.completes) {
      const { approvalId, outcome, status } = commit.completes;
      const done = statements.complete.run({ id: approvalId, now: commit.now, outcome: outcome ?? null, status: status ?? null });
      if (done.changes === 0) return { applied: false };
    }
    appendMessages(commit.conversationId, commit.messages, commit.now);
    return { applied: true, ...(commit.approval ? { approval: insertApproval(commit.approval) } : {}) };
  });

  const recordToolResult = db.transaction(
    (id: string, input: { messages: NewMessage[]; outcome: string; status?: 'failed'; now: string }) => {
      const recordedNow =
        statements.recordResult.run({ id, now: input.now, outcome: input.outcome, status: input.status ?? null }).changes === 1;
      const approval = approvalById(id);
      if (!approval) throw new Error(`approval ${id} not found`);
      if (recordedNow) appendMessages(approval.conversationId, input.messages, input.now);
      return { approval, recordedNow };
    },
  );

  const expireDue = db.transaction((now: string) => {
    const due = statements.dueForExpiry.all(now);
    const expired = due.filter((row) => statements.expireOne.run({ id: row.id }).changes === 1);
    return expired.map((row) => approvalById(row.id)!);
  });

  return {
    createConversation: ({ id, customerId, title, now }) =>
      whenFree(() => {
        statements.insertConversation.run(id, customerId, title, now, now);
        return { id, customerId, title, createdAt: now, updatedAt: now };
      }),
    getConversation: (id) =>
      whenFree(() => {
        const row = statements.getConversation.get(id);
        return row && toConversation(row);
      }),
    listConversations: (customerId, limit = 50) =>
      whenFree(() => statements.listConversations.all(customerId, limit).map(toConversation)),
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
    commitTurn: (commit) => whenFree(() => commitTurn.immediate(commit)),
    getApproval: (id) => whenFree(() => approvalById(id)),
    listApprovals: ({ status, limit = 100 }) =>
      whenFree(() =>
        (status ? statements.listApprovalsByStatus.all(status, limit) : statements.listApprovals.all(limit)).map(toApproval),
      ),
    listApprovalsForConversation: (conversationId) =>
      whenFree(() => statements.listApprovalsForConversation.all(conversationId).map(toApproval)),
    approvalActivity: ({ decidedSince, now }) =>
      whenFree(() => ({
        waiting: statements.countWaiting.get(now)!.waiting,
        decisions: statements.decidedSince.all(decidedSince).map((row) => ({ createdAt: row.created_at, decidedAt: row.decided_at })),
      })),
    claimDecision: (id, input) => whenFree(() => claimDecision.immediate(id, input)),
    recordToolResult: (id, input) => whenFree(() => recordToolResult.immediate(id, input)),
    expireDue: (now) => whenFree(() => expireDue.immediate(now)),
    listUnfinished: () => whenFree(() => statements.unfinished.all().map(toApproval)),
    ping: () =>
      whenFree(() => {
        db.prepare('SELECT 1').get();
      }),
    close() {
      if (db.open) db.close();
    },
  };
}
