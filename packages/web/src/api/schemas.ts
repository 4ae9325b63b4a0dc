// Wire shapes of the agent host's HTTP API (docs/api.md), as zod schemas.
// The pages parse every response with these; the host can import them from `@algorhythm/web/schemas`.
// zod/mini keeps the browser bundle small (classic zod is ~100 kB there); its schemas are ordinary zod 4 schemas,
// usable inside classic `z.object(...)` and with `.parse()`/`.safeParse()`.
import { AGENT } from '@algorhythm/telemetry/names';
import { z } from 'zod/mini';
export { SUMMARY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';

export const ErrorBody = z.object({ error: z.string() });

/** The specialists the supervisor routes to; with it, the roles a model is chosen for. Names from the span conventions. */
export const AgentName = z.enum([AGENT.musicExpert, AGENT.supportRep]);
export type AgentName = z.infer<typeof AgentName>;
export const Role = z.enum([AGENT.supervisor, ...AgentName.options]);
export type Role = z.infer<typeof Role>;
export const AGENT_LABEL: Record<AgentName, string> = { music_expert: 'Music Expert', support_rep: 'Support Rep' };


// ---- identity -------------------------------------------------------------------------------

export const DemoCustomer = z.object({ id: z.int(), name: z.string(), country: z.string() });
export type DemoCustomer = z.infer<typeof DemoCustomer>;
export const DemoCustomersResponse = z.object({ customers: z.array(DemoCustomer) });

export const LoginRequest = z.object({ customerId: z.int().check(z.positive()) });
export const LoginResponse = z.object({ customer: z.object({ name: z.string() }) });

export const OkResponse = z.object({ ok: z.literal(true) });

/** How customers sign in: the demo picker (the default), a store-signed token, or OpenID Connect. */
export const CustomerSignInMode = z.enum(['demo', 'store-token', 'oidc']);
export type CustomerSignInMode = z.infer<typeof CustomerSignInMode>;
/** How admins sign in: the shared token (demo, scripts) or OpenID Connect with a role. */
export const AdminSignInMode = z.enum(['token', 'oidc']);
export type AdminSignInMode = z.infer<typeof AdminSignInMode>;
export const AuthResponse = z.object({ customer: CustomerSignInMode, admin: AdminSignInMode });

export const SessionResponse = z.object({
  customer: z.nullable(z.object({ name: z.string() })),
  model: z.object({ label: z.string(), offline: z.boolean() }),
  signIn: CustomerSignInMode,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

// ---- approvals ------------------------------------------------------------------------------
// An approval is an MCP form elicitation a tool asked for (2026-07-28 `input_required`), kept by the host until
// an admin answers it. Nothing here knows which tool asked: the page renders the form from `requestedSchema`.

export const ElicitationAction = z.enum(['accept', 'decline', 'cancel']);
export type ElicitationAction = z.infer<typeof ElicitationAction>;

/** A value of the flat form an elicitation asks for (the MCP spec allows only primitives). */
export const FormValue = z.union([z.string(), z.number(), z.boolean()]);
export type FormValue = z.infer<typeof FormValue>;
export const FormContent = z.record(z.string(), FormValue);
export type FormContent = z.infer<typeof FormContent>;

/** What the admin answered: the elicitation result the host sends back to the server. */
export const ElicitationAnswer = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), content: FormContent }),
  z.object({ action: z.literal('decline') }),
  z.object({ action: z.literal('cancel') }),
]);
export type ElicitationAnswer = z.infer<typeof ElicitationAnswer>;

/**
 * Structured details a server may attach to its elicitation (`_meta["${'$'}{SUMMARY_META_KEY}"]`), shown above the form:
 * a title ("Refund of invoice 98"), label/value facts, and a key that says two requests ask the same thing.
 */
export const ElicitationSummary = z.object({
  title: z.string().check(z.maxLength(200)),
  key: z.optional(z.string().check(z.maxLength(200))),
  facts: z.optional(z.array(z.object({ label: z.string(), value: z.string() }))),
});
export type ElicitationSummary = z.infer<typeof ElicitationSummary>;

/** pending → the admin's action (accepted, declined, cancelled) → done; or expired; or failed (the tool did not answer). */
export const ApprovalStatus = z.enum(['pending', 'accepted', 'declined', 'cancelled', 'expired', 'failed']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const Approval = z.object({
  id: z.string(),
  status: ApprovalStatus,
  customer: z.object({ id: z.int(), name: z.string() }),
  conversationId: z.string(),
  agent: AgentName,
  tool: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
  elicitation: z.object({
    message: z.string(),
    /** The restricted form schema of the MCP spec (see elicitation-form.ts). */
    requestedSchema: z.record(z.string(), z.unknown()),
    summary: z.nullable(ElicitationSummary),
  }),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.nullable(z.string()),
  decidedBy: z.nullable(z.string()),
  answer: z.nullable(ElicitationAnswer),
  /** When the conversation got the answer to the tool call (and the specialist's reply). */
  completedAt: z.nullable(z.string()),
  /** What the tool said in the end, in words. */
  outcome: z.nullable(z.string()),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalsResponse = z.object({ approvals: z.array(Approval) });

/** The token sign-in (demo mode): who decides is then the token's service identity, never a typed name. */
export const AdminLoginRequest = z.object({ token: z.string().check(z.minLength(1)) });
export type AdminLoginRequest = z.infer<typeof AdminLoginRequest>;

/** POST /api/admin/approvals/:id/decision: the elicitation answer (content checked against the form schema). */
export const DecisionRequest = ElicitationAnswer;
export type DecisionRequest = ElicitationAnswer;

// ---- conversations --------------------------------------------------------------------------

export const ToolActivity = z.object({
  name: z.string(),
  summary: z.string(),
  status: z.enum(['done', 'error']),
});

export const ConversationMessage = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  agent: z.optional(AgentName),
  tools: z.optional(z.array(ToolActivity)),
  at: z.string(),
});
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  messages: z.array(ConversationMessage),
  approvals: z.array(Approval),
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationsResponse = z.object({
  conversations: z.array(z.object({ id: z.string(), title: z.string(), updatedAt: z.string() })),
});

export const ChatRequest = z.object({
  message: z.string().check(z.minLength(1)),
  conversationId: z.optional(z.string()),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

// ---- chat events (SSE `event:` name → `data:` JSON) -----------------------------------------

export const ChatEvents = {
  conversation: z.object({ id: z.string() }),
  route: z.object({ agent: AgentName, reason: z.string() }),
  tool: z.object({ name: z.string(), status: z.enum(['started', 'done', 'error']), summary: z.string() }),
  delta: z.object({ text: z.string() }),
  approval: z.object({ id: z.string(), status: ApprovalStatus, title: z.string(), outcome: z.nullable(z.string()) }),
  // `route` is the agent that answered (null when none did, e.g. a turn that failed before routing).
  done: z.object({
    conversationId: z.string(),
    reply: z.string(),
    route: z.nullable(AgentName),
  }),
  error: z.object({ message: z.string() }),
} as const;

export type ChatEventName = keyof typeof ChatEvents;
/** One parsed chat event, tagged by its SSE event name. */
export type ChatEvent = {
  [K in ChatEventName]: { type: K; data: z.infer<(typeof ChatEvents)[K]> };
}[ChatEventName];

export const chatEventNames = Object.keys(ChatEvents) as ChatEventName[];

/** Validates one SSE frame; unknown event names give `undefined` (added later, ignored now). */
export function parseChatEvent(name: string, json: string): ChatEvent | undefined {
  if (!(name in ChatEvents)) return undefined;
  const schema = ChatEvents[name as ChatEventName];
  const data: unknown = schema.parse(JSON.parse(json));
  return { type: name, data } as ChatEvent;
}

/** Admin stream: event `approval` carries a full `Approval`. */
export const AdminApprovalEvent = Approval;

// ---- traces (admin) -------------------------------------------------------------------------
// The host's span store (GET /api/admin/traces, /api/admin/traces/:traceId). Attribute names are the
// spans' own (`@algorhythm/telemetry/names`), the same the Grafana dashboard queries.

export const TraceListQuery = z.object({
  agent: z.optional(z.string().check(z.maxLength(100))),
  model: z.optional(z.string().check(z.maxLength(200))),
  tool: z.optional(z.string().check(z.maxLength(100))),
  errors: z.optional(z.enum(['true', 'false'])),
  /** `true`: every traced request (sign-ins, page loads), not only the turns that ran an agent. */
  all: z.optional(z.enum(['true', 'false'])),
  conversationId: z.optional(z.string().check(z.maxLength(100))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
});
export type TraceListQuery = z.infer<typeof TraceListQuery>;

/** One turn (one trace): its sums over the `chat` spans and the sets of what it touched. */
export const TraceSummary = z.object({
  traceId: z.string(),
  /** Milliseconds since the epoch. */
  startTime: z.number(),
  /** The root span's duration (the HTTP request), or the spread of the spans seen so far. */
  durationMs: z.number(),
  rootName: z.nullable(z.string()),
  conversationId: z.nullable(z.string()),
  customer: z.nullable(z.object({ id: z.int(), name: z.string() })),
  /** `algorhythm.route.decision`. */
  route: z.nullable(z.string()),
  agents: z.array(z.string()),
  models: z.array(z.string()),
  tools: z.array(z.string()),
  services: z.array(z.string()),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Sum of `algorhythm.cost.usd` (an estimate). */
  costUsd: z.number(),
  errorCount: z.int(),
  spanCount: z.int(),
});
export type TraceSummary = z.infer<typeof TraceSummary>;
export const TraceListResponse = z.object({ traces: z.array(TraceSummary), nextCursor: z.nullable(z.string()) });
export type TraceListResponse = z.infer<typeof TraceListResponse>;

const SpanAttributes = z.record(z.string(), z.unknown());
export const TraceSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.nullable(z.string()),
  /** The process's `service.name`. */
  service: z.string(),
  name: z.string(),
  /** SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: z.int(),
  startTime: z.number(),
  startTimeUnixNano: z.string(),
  durationMs: z.number(),
  /** SpanStatusCode: 0 unset, 1 ok, 2 error. */
  status: z.object({ code: z.int(), message: z.nullable(z.string()) }),
  attributes: SpanAttributes,
  events: z.array(z.object({ name: z.string(), timeNs: z.string(), attributes: SpanAttributes })),
});
export type TraceSpan = z.infer<typeof TraceSpan>;
export const TraceDetailResponse = z.object({ traceId: z.string(), spans: z.array(TraceSpan) });
export type TraceDetailResponse = z.infer<typeof TraceDetailResponse>;

// ---- overview (admin) -----------------------------------------------------------------------
// GET /api/admin/overview?window=…: the dashboard's key panels over a window, from the host's span store
// (the same attributes the Grafana panels query) and its approvals.

export const OverviewWindow = z.enum(['1h', '24h', '7d', '30d']);
export type OverviewWindow = z.infer<typeof OverviewWindow>;
export const OverviewQuery = z.object({ window: z.optional(OverviewWindow) });

/** Nearest-rank percentiles of `count` durations, in milliseconds. */
export const LatencyPercentiles = z.object({ count: z.int(), p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() });
export type LatencyPercentiles = z.infer<typeof LatencyPercentiles>;

/** One value per bucket (aligned with `buckets`); null where the bucket has nothing to measure. */
export const NamedSeries = z.object({ name: z.string(), values: z.array(z.nullable(z.number())) });
export type NamedSeries = z.infer<typeof NamedSeries>;

export const TraceOverview = z.object({
  /** Milliseconds since the epoch: the first bucket's start, and the window's end. */
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  /** Each bucket's start (ms since the epoch), the x axis of every series. */
  buckets: z.array(z.number()),
  totals: z.object({ turns: z.int(), costUsd: z.number(), inputTokens: z.int(), outputTokens: z.int() }),
  /** Finished turns (traces in which an agent ran) per bucket. */
  turns: z.array(z.number()),
  /** Sum of `algorhythm.cost.usd` on `chat` spans, by `gen_ai.agent.name` and by `gen_ai.request.model`. */
  costByAgent: z.array(NamedSeries),
  costByModel: z.array(NamedSeries),
  /** Sums of `gen_ai.usage.input_tokens` / `output_tokens` on `chat` spans. */
  tokens: z.object({ input: z.array(z.number()), output: z.array(z.number()) }),
  /** `invoke_agent` span durations by `gen_ai.agent.name`: the whole window, and P50/P95/P99 per bucket. */
  agents: z.array(
    z.object({ name: z.string(), latency: LatencyPercentiles, p50Ms: z.array(z.nullable(z.number())), p95Ms: z.array(z.nullable(z.number())), p99Ms: z.array(z.nullable(z.number())) }),
  ),
  /** `execute_tool` spans by `gen_ai.tool.name`: calls, error spans, their share, and latency as the agent saw it. */
  tools: z.array(z.object({ name: z.string(), calls: z.int(), errors: z.int(), errorRate: z.number(), latency: LatencyPercentiles })),
  /** Turns by the supervisor's `algorhythm.route.decision` (turns resumed by an approval decision are not routed). */
  routes: z.array(z.object({ route: z.string(), turns: z.int() })),
});
export type TraceOverview = z.infer<typeof TraceOverview>;

/** Approvals from the host's own records: pending now, and the decisions made in the window. */
export const ApprovalOverview = z.object({
  waiting: z.int(),
  decided: z.int(),
  /** Seconds from request to the admin's decision (null when nothing was decided in the window). */
  timeToDecision: z.object({ p50Seconds: z.nullable(z.number()), p95Seconds: z.nullable(z.number()) }),
});
export type ApprovalOverview = z.infer<typeof ApprovalOverview>;

export const OverviewResponse = z.object({ window: OverviewWindow, traces: TraceOverview, approvals: ApprovalOverview });
export type OverviewResponse = z.infer<typeof OverviewResponse>;
