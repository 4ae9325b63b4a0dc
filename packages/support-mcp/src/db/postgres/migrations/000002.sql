-- One row per approved change of "Customer"."Email", written in the same transaction as the update.
CREATE TABLE algorhythm_email_changes (
  change_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id  integer NOT NULL REFERENCES "Customer" ("CustomerId"),
  old_email    text NOT NULL,
  new_email    text NOT NULL CHECK (length(new_email) BETWEEN 3 AND 60),
  reason       text CHECK (reason IS NULL OR length(reason) <= 500),
  approved_by  text NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
  note         text CHECK (note IS NULL OR length(note) <= 500),
  -- Exactly once per approval: the nonce sealed in the approval state.
  nonce        text NOT NULL UNIQUE,
  requested_at timestamptz NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX algorhythm_email_changes_customer ON algorhythm_email_changes (customer_id);
