-- The host's state: conversations, their messages, and the approvals their tools asked for.
-- Times are timestamptz (UTC instants, compared and indexed as such; read back as the same ISO strings).
-- Message content is `json`, not `jsonb`: it is never queried inside, and `json` keeps the exact text the
-- model was given (key order, and `\u0000`, which jsonb refuses). Approval parts are `jsonb`.

CREATE TABLE conversation (
  id text PRIMARY KEY,
  customer_id integer NOT NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX conversation_by_customer ON conversation (customer_id, updated_at DESC);

CREATE TABLE message (
  conversation_id text NOT NULL REFERENCES conversation (id),
  seq integer NOT NULL,
  role text NOT NULL,
  agent text,
  content json NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE approval (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired', 'failed')),
  conversation_id text NOT NULL REFERENCES conversation (id),
  customer_id integer NOT NULL,
  customer_name text NOT NULL,
  agent text NOT NULL,
  tool_call jsonb NOT NULL,
  elicitation jsonb NOT NULL,
  dedupe_key text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  answer jsonb,
  result_at timestamptz,
  completed_at timestamptz,
  outcome text,
  traceparent text
);
CREATE INDEX approval_by_status ON approval (status, created_at DESC);
CREATE INDEX approval_by_conversation ON approval (conversation_id);
CREATE INDEX approval_due ON approval (expires_at) WHERE status = 'pending';
CREATE INDEX approval_unfinished ON approval (status) WHERE completed_at IS NULL;
-- One pending approval per customer and request, however many replicas ask at once (ON CONFLICT … DO NOTHING).
CREATE UNIQUE INDEX approval_one_pending ON approval (customer_id, dedupe_key) WHERE status = 'pending';
