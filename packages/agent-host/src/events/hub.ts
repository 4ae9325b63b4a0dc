/** In-process fan-out to live listeners (SSE). Durable state lives in the store; this only notifies. */
export interface Hub<E> {
  subscribe(key: string, listener: (event: E) => void): () => void;
  publish(key: string, event: E): void;
}

export function createHub<E>(): Hub<E> {
  const topics = new Map<string, Set<(event: E) => void>>();
  return {
    subscribe(key, listener) {
      let set = topics.get(key);
      if (!set) topics.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) topics.delete(key);
      };
    },
    publish(key, event) {
      for (const listener of topics.get(key) ?? []) {
        try {
          listener(event);
        } catch {
          // A broken listener (closed stream) must not stop the others.
        }
      }
    },
  };
}
