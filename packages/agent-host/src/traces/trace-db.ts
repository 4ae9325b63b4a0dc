import Database from 'better-sqlite3';

export type TraceDb = Database.Database;

/**
 * The span store's own SQLite file (`data/traces.db`), apart from the host's conversations: spans are
 * written often and pruned in bulk, and a lock here must never hold up a turn's commit there.
 * `span` keeps every span; `trace` is one row per trace with the list's sums and sets, kept current in
 * the same transaction as the spans, so the list never scans spans.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE span (
     trace_id TEXT NOT NULL,
     span_id TEXT NOT NULL,
     parent_span_id TEXT,
     service TEXT NOT NULL,
     name TEXT NOT NULL,
     kind INTEGER NOT NULL,
     start_ns INTEGER NOT NULL,
     end_ns INTEGER NOT NULL,
     duration_ns INTEGER NOT NULL,
     status_code INTEGER NOT NULL,
     status_message TEXT,
     attributes TEXT NOT NULL,
     events TEXT NOT NULL,
     conversation_id TEXT,
     agent TEXT,
     model TEXT,
     tool TEXT,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost_usd REAL NOT NULL,
     error INTEGER NOT NULL,
     UNIQUE (trace_id, span_id)
   );
   CREATE TABLE trace (
     trace_id TEXT PRIMARY KEY,
     start_ns INTEGER NOT NULL,
     end_ns INTEGER NOT NULL,
     root_name TEXT,
     root_service TEXT,
     root_duration_ns INTEGER,
     conversation_id TEXT,
     route TEXT,
     agents TEXT NOT NULL,
     models TEXT NOT NULL,
     tools TEXT NOT NULL,
     services TEXT NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost_usd REAL NOT NULL,
     error_count INTEGER NOT NULL,
     span_count INTEGER NOT NULL
   );
   CREATE INDEX trace_by_start ON trace (start_ns, trace_id);
   CREATE INDEX trace_by_conversation ON trace (conversation_id, start_ns);`,
];

export function openTraceDb(path: string): TraceDb {
  const db = new Database(path);
  // Set before the first table exists: deleted spans' pages can then be handed back to the file system.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // Spans are diagnostics, not records: no fsync at WAL checkpoints (a power cut may lose the last seconds).
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  return db;
}

function migrate(db: TraceDb): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
