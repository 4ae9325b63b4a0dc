import type { MiddlewareHandler } from 'hono';
import type { SignInMethods } from '../auth/sign-in-methods.ts';
import type { CustomerDirectory } from '../customers/directory.ts';
import type { HttpLimits } from '../limits/limits.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import type { Hub } from '../events/hub.ts';
import type { ApprovalRecord, Store } from '../store/types.ts';
import type { TurnRunner } from '../turns/turn-runner.ts';
import type { AdminOptions } from './middleware/admin-auth.ts';
import type { SessionOptions } from './middleware/customer-session.ts';
import type { OtlpIngestDeps } from './routes/otlp.ts';

/** What the routes need, built by the composition root. */
export interface HttpDeps {
  store: Store;
  turns: TurnRunner;
  directory: CustomerDirectory;
  conversationEvents: Hub<ChatEvent>;
  approvalEvents: Hub<ApprovalRecord>;
  session: SessionOptions;
  admin: AdminOptions;
  /** How customers and admins sign in (auth/auth-config.ts). */
  signIn: SignInMethods;
  model: { label: string; offline: boolean };
  readiness: () => Promise<Record<string, string>>;
  /** Abuse limits: sign-in attempts, messages, the daily budget (limits/). */
  limits: HttpLimits;
  /** Called after a sign-in, so the customer's support server is up before their first question. */
  warmCustomer?: (customerId: number) => void;
  /** Aborted at shutdown: open SSE streams end. */
  shutdown: AbortSignal;
  /** Built web pages; absent when the web package was not built. */
  webRoot?: string;
  log: (line: string) => void;
  /** The span store: OTLP in at `/v1/traces`, the admin's trace API out. Absent → neither route. */
  traces?: OtlpIngestDeps;
  /** Runs before everything else (the telemetry server span), from the composition root. */
  middleware?: MiddlewareHandler[];
}
