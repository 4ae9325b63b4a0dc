import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `work` outside any request's span with tracing suppressed: no span is made inside it. For the host's
 * span store, whose PostgreSQL queries would otherwise get `db.*` spans, which would be stored in turn, and
 * so on forever.
 */
export function untraced<T>(work: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(ROOT_CONTEXT), work);
}
