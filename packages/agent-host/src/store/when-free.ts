import pRetry from 'p-retry';

/** How long store work waits for another connection's write lock before it fails. */
export const LOCK_WAIT_MS = 5_000;
/** SQLite's own wait, which blocks the thread: kept short, the rest of the wait is on timers. */
export const BUSY_TIMEOUT_MS = 20;

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

/**
 * Runs synchronous SQLite work. While another connection (another process) holds the write lock, the
 * work fails with SQLITE_BUSY after BUSY_TIMEOUT_MS; it is then tried again after a short, growing
 * delay, so the lock delays this work without freezing the event loop for everyone else. After
 * `waitMs` the BUSY error is thrown. A transaction that failed this way was rolled back whole, so
 * running it again is safe.
 */
export function whenFree<T>(work: () => T, waitMs = LOCK_WAIT_MS): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    if (!isBusy(error)) return Promise.reject(error);
  }
  return pRetry(async () => work(), {
    retries: Number.POSITIVE_INFINITY,
    maxRetryTime: waitMs,
    minTimeout: 10,
    factor: 2,
    maxTimeout: 200,
    randomize: true,
    shouldRetry: ({ error }) => isBusy(error),
  });
}
