-- The refund ledger and the server's secrets, beside the Chinook tables load-chinook.ts created.
-- Same columns as the SQLite ledger (db/migrations.ts): the agent host and the evidence scripts read them.
CREATE TABLE algorhythm_refunds (
  refund_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- One refund per invoice, enforced here: the write is INSERT … ON CONFLICT (invoice_id) DO NOTHING.
  invoice_id     integer NOT NULL UNIQUE REFERENCES "Invoice" ("InvoiceId"),
  customer_id    integer NOT NULL REFERENCES "Customer" ("CustomerId"),
  amount_cents   integer NOT NULL CHECK (amount_cents >= 0),
  reason         text CHECK (reason IS NULL OR length(reason) <= 500),
  approved_by    text NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
  approver_note  text CHECK (approver_note IS NULL OR length(approver_note) <= 1000),
  approval_nonce text NOT NULL UNIQUE,
  requested_at   timestamptz NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX algorhythm_refunds_customer ON algorhythm_refunds (customer_id);

CREATE TABLE algorhythm_secret (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
