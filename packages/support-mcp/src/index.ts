// Public surface of @algorhythm/support-mcp (no side effects on import).
export {
  mintCustomerToken,
  verifyCustomerToken,
  InvalidCustomerTokenError,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  DEFAULT_TOKEN_TTL_SECONDS,
  type CustomerTokenClaims,
} from './auth/customer-token.ts';
export { customerTokenVerifier } from './auth/bearer-verifier.ts';
export { customerFromAuthInfo, fixedCustomer, type CustomerResolver } from './customers/customer-binding.ts';
export { openSupportDb, type SupportDb } from './db/open-db.ts';
export { migrate, MIGRATIONS } from './db/migrations.ts';
export { getOrCreateSecret } from './db/secret-store.ts';
export { PostgresDb, preparePostgresDb } from './db/postgres/postgres-db.ts';
export { migratePostgres } from './db/postgres/migrate.ts';
export { openSupportStore, type SupportDatabase } from './store/open-store.ts';
export type { SupportStore } from './store/support-store.ts';
export { RefundLedger, type Refund } from './refunds/refund-ledger.ts';
export { createApprovalStateCodec, type ApprovalState } from './refunds/approval-state.ts';
export {
  createSupportDeps,
  createSupportServer,
  DEFAULT_APPROVAL_TTL_SECONDS,
  SERVER_INFO,
  type SupportDeps,
  type SupportDepsOptions,
} from './server.ts';
export { APPROVAL_INPUT_KEY, APPROVAL_REQUESTED_SCHEMA } from './refunds/approval-request.ts';
export { REFUND_STATUSES, type RefundOutcome, type RefundStatus } from './tools/refund-outcome.ts';
export {
  createSupportHttpHandler,
  startSupportHttpServer,
  MCP_PATH,
  type SupportHttpHandler,
  type SupportHttpOptions,
} from './transports/http-handler.ts';
export { parseConfig, ConfigError, type SupportConfig } from './config.ts';
