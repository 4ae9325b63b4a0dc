-- The span store (traces/) on PostgreSQL, shared by every host replica: the same two tables as the SQLite file
-- (trace-db.ts), so the list's filters and the overview read the same columns. Nanoseconds are bigint.
-- `attributes` and `events` are `json`, not `jsonb`: read back whole, never queried inside, and `json` keeps the
-- text as sent (jsonb refuses `\u0000`).

CREATE TABLE span (
  trace_id text NOT NULL,
  span_id text NOT NULL,
  -- Arrival order, for spans starting in the same nanosecond (SQLite's rowid).
  seq bigint GENERATED ALWAYS AS IDENTITY,
  parent_span_id text,
  service text NOT NULL,
  name text NOT NULL,
  kind integer NOT NULL,
  start_ns bigint NOT NULL,
  end_ns bigint NOT NULL,
  duration_ns bigint NOT NULL,
  status_code integer NOT NULL,
  status_message text,
  attributes json NOT NULL,
  events json NOT NULL,
  conversation_id text,
  agent text,
  model text,
  tool text,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost_usd double precision NOT NULL,
  error integer NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);

-- One row per trace with the list's sums and sets, kept current in the same transaction as its spans.
CREATE TABLE trace (
  trace_id text PRIMARY KEY,
  start_ns bigint NOT NULL,
  end_ns bigint NOT NULL,
  root_name text,
  root_service text,
  root_duration_ns bigint,
  conversation_id text,
  route text,
  agents text NOT NULL,
  models text NOT NULL,
  tools text NOT NULL,
  services text NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost_usd double precision NOT NULL,
  error_count integer NOT NULL,
  span_count integer NOT NULL,
  -- What its span rows and their index entries hold: the size limit counts live rows, since the files of a
  -- PostgreSQL table do not shrink when rows are deleted (the space is reused).
  bytes bigint NOT NULL
);
CREATE INDEX trace_by_start ON trace (start_ns, trace_id);
CREATE INDEX trace_by_conversation ON trace (conversation_id, start_ns);

-- Sets are kept as `,a,b,` (see write-spans.ts). Appends the members of `added` that `existing` lacks, in order:
-- the same string as adding them one by one, so two replicas folding halves of a trace agree with one.
CREATE FUNCTION trace_set_union(existing text, added text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN existing = '' THEN added ELSE existing || COALESCE(
    (SELECT string_agg(member || ',', '' ORDER BY ord)
     FROM unnest(string_to_array(trim(BOTH ',' FROM added), ',')) WITH ORDINALITY AS m (member, ord)
     WHERE strpos(existing, ',' || member || ',') = 0),
    '') END
$$;
