import type Database from 'better-sqlite3';

/** One schema step for the tables this server owns in the working Chinook copy. Versions only grow. */
export type Migration = { version: number; name: string; sql: string };

// Our tables carry the `algorhythm_` prefix so they never collide with Chinook's own.
// The agent host and the evidence scripts read `algorhythm_refunds` directly: keep its columns stable.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'refund ledger and server secrets',
    sql: `
      CREATE TABLE algorhythm_refunds (
        refund_id      INTEGER PRIMARY KEY AUTOINCREMENT,
        invoice_id     INTEGER NOT NULL UNIQUE REFERENCES Invoice (InvoiceId),
        customer_id    INTEGER NOT NULL REFERENCES Customer (CustomerId),
        amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),
        reason         TEXT CHECK (reason IS NULL OR length(reason) <= 500),
        approved_by    TEXT NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
        approver_note  TEXT CHECK (approver_note IS NULL OR length(approver_note) <= 1000),
        approval_nonce TEXT NOT NULL UNIQUE,
        requested_at   TEXT NOT NULL,
        created_at     TEXT NOT NULL
      );
      CREATE INDEX algorhythm_refunds_customer ON algorhythm_refunds (customer_id);
      CREATE TABLE algorhythm_secret (
        name       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'email change audit ledger',
    // One row per approved change of Customer.Email (written in the same transaction as the update).
    // old_email is whatever Chinook held; new_email obeys the column's 60 characters.
    sql: `
      CREATE TABLE algorhythm_email_changes (
        change_id    INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id  INTEGER NOT NULL REFERENCES Customer (CustomerId),
        old_email    TEXT NOT NULL,
        new_email    TEXT NOT NULL CHECK (length(new_email) BETWEEN 3 AND 60),
        reason       TEXT CHECK (reason IS NULL OR length(reason) <= 500),
        approved_by  TEXT NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
        note         TEXT CHECK (note IS NULL OR length(note) <= 500),
        nonce        TEXT NOT NULL UNIQUE,
        requested_at TEXT NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX algorhythm_email_changes_customer ON algorhythm_email_changes (customer_id);
    `,
  },
];

const MIGRATIONS_TABLE = 'algorhythm_support_migrations';

/**
 * Applies the migrations this database has not seen yet, all in one IMMEDIATE transaction so that
 * several server processes starting at once (one stdio child per customer) serialize on the write
 * lock instead of racing. Idempotent: a second run applies nothing. Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const row = db.prepare(`SELECT COALESCE(MAX(version), 0) AS version FROM ${MIGRATIONS_TABLE}`).get() as {
      version: number;
    };
    const applied: number[] = [];
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= row.version) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
  return run.immediate();
}

/** The highest migration version recorded in the database (0 when none ran). */
export function schemaVersion(db: Database.Database): number {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (!exists) return 0;
  const row = db.prepare(`SELECT COALESCE(MAX(version), 0) AS version FROM ${MIGRATIONS_TABLE}`).get() as {
    version: number;
  };
  return row.version;
}
