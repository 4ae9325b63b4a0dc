import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.ts';
import { storeContract } from './store-contract.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'sqlite-store-'));

storeContract('SQLite', async () => {
  const dir = tempDir();
  const path = join(dir, 'host.db');
  return {
    store: openSqliteStore(path),
    replica: async () => openSqliteStore(path),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
});

it('carries refund approvals of the previous schema over as generic elicitation records', async () => {
  const dir = tempDir();
  const path = join(dir, 'host.db');
  try {
    openSqliteStore(path).close();
    const db = new Database(path);
    // Back to version 2 (refund-shaped approvals) with one decided and one pending row.
    db.exec(`DROP TABLE approval;
      CREATE TABLE approval (id TEXT PRIMARY KEY, status TEXT NOT NULL, conversation_id TEXT NOT NULL, customer_id INTEGER NOT NULL,
        customer_name TEXT NOT NULL, agent TEXT NOT NULL, tool_name TEXT NOT NULL, tool_call_id TEXT NOT NULL, arguments TEXT NOT NULL,
        input_key TEXT NOT NULL, message TEXT NOT NULL, requested_schema TEXT NOT NULL, request_state TEXT NOT NULL,
        invoice_id INTEGER NOT NULL, amount REAL NOT NULL, reason TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
        decided_at TEXT, decided_by TEXT, note TEXT, completed_at TEXT, outcome TEXT, traceparent TEXT);
      INSERT INTO conversation VALUES ('c1', 1, 't', 'x', 'x');`);
    const insert = db.prepare(`INSERT INTO approval VALUES (?, ?, 'c1', 1, 'Luís', 'support_rep', 'process_refund', 'call-1',
      '{"invoice_id":98}', 'approval', 'Approve?', '{"type":"object"}', 'sealed', 98, 3.98, NULL, 't0', 't9', ?, ?, ?, ?, ?, NULL)`);
    insert.run('done', 'approved', 't1', 'ada', 'ok', 't2', 'Refund recorded');
    insert.run('open', 'pending', null, null, null, null, null);
    db.pragma('user_version = 2');
    db.close();

    const store = openSqliteStore(path);
    const [done, open] = [await store.getApproval('done'), await store.getApproval('open')];
    store.close();
    {
      expect(done).toMatchObject({
        status: 'accepted',
        toolCall: { id: 'call-1', name: 'process_refund', arguments: { invoice_id: 98 } },
        elicitation: { message: 'Approve?', summary: { title: 'Refund of invoice 98 ($3.98)', key: 'refund:invoice:98' }, requestState: 'sealed' },
        answer: { action: 'accept', content: { approve: true, note: 'ok' } },
        resultAt: 't2',
        completedAt: 't2',
        outcome: 'Refund recorded',
      });
      expect(open).toMatchObject({ status: 'pending', answer: null, dedupeKey: 'process_refund:refund:invoice:98', completedAt: null });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
