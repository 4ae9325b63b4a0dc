// The event log's statements (migration 000002): one step each. The trigger numbers, orders and announces.

export const CHANNEL = 'algorhythm_events';

/** Publishes one event: the trigger draws its id in commit order and NOTIFYs it when this commits. */
export const INSERT_EVENT = 'INSERT INTO event (topic, payload) VALUES ($1, $2::jsonb) RETURNING id';

/** Where a new listener starts: only events published from now on are live news to it. */
export const LAST_EVENT_ID = 'SELECT COALESCE(MAX(id), 0) AS id FROM event';

/** The rows a listener has not delivered yet, oldest first, a batch at a time. */
export const EVENTS_AFTER = 'SELECT id, topic, payload FROM event WHERE id > $1 ORDER BY id LIMIT $2';

/** A resuming browser's replay: one topic's events after the id it last saw. */
export const TOPIC_EVENTS_AFTER = 'SELECT id, payload FROM event WHERE topic = $1 AND id > $2 ORDER BY id LIMIT $3';

/** Old events go: a browser away longer than this reloads the page rather than resuming. */
export const PRUNE_EVENTS = `DELETE FROM event WHERE created_at < now() - make_interval(secs => $1)`;
