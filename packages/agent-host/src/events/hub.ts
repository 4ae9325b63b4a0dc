/** One event as delivered: its id orders it within the hub and is the SSE `id:` a browser resumes from. */
export interface HubEvent<E> {
  id: number;
  event: E;
}

/**
 * Fan-out to live listeners (SSE). Durable state lives in the store; this only notifies. `publish` is fire and
 * forget for the caller (the turn runner); listeners get events in id order, each once.
 */
export interface Hub<E> {
  subscribe(key: string, listener: (event: E, id: number) => void): () => void;
  publish(key: string, event: E): void;
  /** The topic's events after `afterId`, oldest first: what a browser that reconnects with `Last-Event-ID` missed. */
  since(key: string, afterId: number): Promise<HubEvent<E>[]>;
}

/** Local delivery shared by both hubs: listeners per topic, one broken listener never stops the others. */
export function createTopics<E>() {
  const topics = new Map<string, Set<(event: E, id: number) => void>>();
  return {
    subscribe(key: string, listener: (event: E, id: number) => void): () => void {
      let set = topics.get(key);
      if (!set) topics.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) topics.delete(key);
      };
    },
    deliver(key: string, event: E, id: number) {
      for (const listener of topics.get(key) ?? []) {
        try {
          listener(event, id);
        } catch {
          // A broken listener (closed stream) must not stop the others.
        }
      }
    },
  };
}

/**
 * The in-process hub (SQLite, one host): ids count up from 1 per process, and the last `keep` events stay in a
 * ring so `since` answers a reconnecting browser the same way the PostgreSQL hub does.
 */
export function createHub<E>(options: { keep?: number } = {}): Hub<E> {
  const keep = options.keep ?? 1_000;
  const topics = createTopics<E>();
  const ring: Array<HubEvent<E> & { key: string }> = [];
  let lastId = 0;
  return {
    subscribe: topics.subscribe,
    publish(key, event) {
      const id = ++lastId;
      ring.push({ id, key, event });
      if (ring.length > keep) ring.shift();
      topics.deliver(key, event, id);
    },
    async since(key, afterId) {
      return ring.filter((entry) => entry.key === key && entry.id > afterId).map(({ id, event }) => ({ id, event }));
    },
  };
}
