import { ATTR, spanName, sqlSummary } from '@algorhythm/telemetry';

let registered: Promise<void> | undefined;

/**
 * `db.*` CLIENT spans on the PostgreSQL store's queries, from the official `@opentelemetry/instrumentation-pg`
 * on the global tracer provider. It patches the `pg` module, which is one per process, so it is registered
 * once per process (the only module-level state here), and before the store loads `pg` (`require`, which the
 * instrumentation hooks). Loaded only when the store is on PostgreSQL: SQLite starts pay nothing for it.
 *
 * Spans look like the SQLite ones of the MCP servers (sql-spans.ts): named `{operation} {table}`, with
 * `db.system.name`, `db.operation.name`, `db.collection.name` and `db.response.returned_rows`, only under a
 * request's span (start-up and the background sweep are not traced), and never with the parameters. The
 * instrumentation adds `db.query.text` (the parameterized text, as the conventions recommend) and
 * `db.namespace`, `server.address`, `server.port`.
 */
export function instrumentPostgres(): Promise<void> {
  registered ??= (async () => {
    const { PgInstrumentation } = await import('@opentelemetry/instrumentation-pg');
    new PgInstrumentation({
      requireParentSpan: true,
      ignoreConnectSpans: true,
      enhancedDatabaseReporting: false,
      requestHook(span, { query }) {
        const { operation, collection } = sqlSummary(query.text);
        span.updateName(spanName.db(operation, collection));
        span.setAttribute(ATTR.dbOperationName, operation);
        if (collection) span.setAttribute(ATTR.dbCollectionName, collection);
      },
      responseHook(span, { data }) {
        if (data.command === 'SELECT' || data.rows.length > 0) span.setAttribute(ATTR.dbResponseReturnedRows, data.rows.length);
      },
    }); // enabled on construction
  })();
  return registered;
}
