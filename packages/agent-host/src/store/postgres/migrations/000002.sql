-- Live events across replicas: every event is a row first, then a NOTIFY carrying its id (a doorbell). Each
-- replica's listener reads the rows after the last id it saw, so one that missed a notification, or reconnects,
-- catches up from the table; a browser that resumes with Last-Event-ID is replayed from it.
--
-- Ids must become visible in id order, or a listener reading `id > last seen` could pass over a row that
-- commits late (id 5 committing after id 6 was read). So the id is drawn in a BEFORE INSERT trigger after a
-- transaction-level advisory lock that is held until commit: inserts of events commit one after the other, in
-- id order. They are short single-statement transactions, so the wait is small.

CREATE SEQUENCE event_id_seq;

CREATE TABLE event (
  id bigint PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE event_id_seq OWNED BY event.id;
CREATE INDEX event_by_topic ON event (topic, id);
CREATE INDEX event_by_age ON event (created_at);

CREATE FUNCTION event_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('algorhythm.agent-host.event-order', 0));
  NEW.id := nextval('event_id_seq');
  PERFORM pg_notify('algorhythm_events', NEW.id::text);
  RETURN NEW;
END;
$$;

CREATE TRIGGER event_order BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_before_insert();
