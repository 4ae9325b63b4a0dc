// Every statement of the PostgreSQL store, one atomic step each, named for what it does. Conditions in the
// WHERE clause make a step happen once: a replica that arrives second waits for the row lock, re-checks the
// condition on the committed row (READ COMMITTED) and changes nothing.

export const INSERT_CONVERSATION = `INSERT INTO conversation (id, customer_id, title, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $4) RETURNING *`;

export const GET_CONVERSATION = 'SELECT * FROM conversation WHERE id = $1';

export const LIST_CONVERSATIONS = 'SELECT * FROM conversation WHERE customer_id = $1 ORDER BY updated_at DESC LIMIT $2';

/** First statement of an append: takes the conversation's row lock, so appends to it queue up. */
export const TOUCH_CONVERSATION = 'UPDATE conversation SET updated_at = $2 WHERE id = $1';

/**
 * Second statement of an append (a new snapshot, after the lock): numbers the new messages after the last one.
 * Parallel arrays of roles, agents and message texts; `json` keeps each text as given.
 */
export const INSERT_MESSAGES = `INSERT INTO message (conversation_id, seq, role, agent, content, created_at)
  SELECT $1, last.seq + item.ord, item.role, item.agent, item.content, $2
  FROM (SELECT COALESCE(MAX(seq), 0) AS seq FROM message WHERE conversation_id = $1) AS last,
    unnest($3::text[], $4::text[], $5::json[]) WITH ORDINALITY AS item (role, agent, content, ord)`;

export const LOAD_MESSAGES = 'SELECT seq, agent, content, created_at FROM message WHERE conversation_id = $1 ORDER BY seq';

/** Records an approval unless the same customer already has one pending with the same key. */
export const INSERT_APPROVAL = `INSERT INTO approval (id, status, conversation_id, customer_id, customer_name, agent, tool_call,
    elicitation, dedupe_key, created_at, expires_at, traceparent)
  VALUES ($1, 'pending', $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11)
  ON CONFLICT (customer_id, dedupe_key) WHERE status = 'pending' DO NOTHING
  RETURNING *`;

export const FIND_PENDING = `SELECT * FROM approval WHERE customer_id = $1 AND dedupe_key = $2 AND status = 'pending' LIMIT 1`;

export const GET_APPROVAL = 'SELECT * FROM approval WHERE id = $1';

export const LIST_APPROVALS = `SELECT * FROM approval WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2`;

export const LIST_APPROVALS_FOR_CONVERSATION = 'SELECT * FROM approval WHERE conversation_id = $1 ORDER BY created_at';

export const COUNT_WAITING = `SELECT COUNT(*)::int AS waiting FROM approval WHERE status = 'pending' AND expires_at > $1`;

export const DECIDED_SINCE = 'SELECT created_at, decided_at FROM approval WHERE decided_at >= $1 ORDER BY decided_at';

/** The admin's answer, for a pending approval still within its time: exactly one caller gets the row back. */
export const CLAIM_DECISION = `UPDATE approval SET status = $2, decided_at = $3, decided_by = $4, answer = $5::jsonb
  WHERE id = $1 AND status = 'pending' AND expires_at > $3
  RETURNING *`;

/** A claim that came too late expires the approval itself (the sweep may not have run yet). */
export const EXPIRE_ONE = `UPDATE approval SET status = 'expired', outcome = 'Expired without a decision.'
  WHERE id = $1 AND status = 'pending' AND expires_at <= $2
  RETURNING *`;

/** The sweep: returns only the rows this statement moved, so each expiry is announced once across replicas. */
export const EXPIRE_DUE = `UPDATE approval SET status = 'expired', outcome = 'Expired without a decision.'
  WHERE status = 'pending' AND expires_at <= $1
  RETURNING *`;

/** The answered tool call's result, once. */
export const RECORD_RESULT = `UPDATE approval SET status = COALESCE($2, status), result_at = $3, outcome = $4
  WHERE id = $1 AND result_at IS NULL AND completed_at IS NULL
  RETURNING *`;

/** Finishes an answered approval's turn, once. */
export const COMPLETE = `UPDATE approval SET status = COALESCE($2, status), completed_at = $3, outcome = COALESCE($4, outcome)
  WHERE id = $1 AND completed_at IS NULL AND status <> 'pending'`;

export const LIST_UNFINISHED = `SELECT * FROM approval WHERE status <> 'pending' AND completed_at IS NULL
  ORDER BY COALESCE(decided_at, expires_at)`;
