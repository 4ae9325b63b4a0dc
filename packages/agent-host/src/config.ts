import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError as ModelConfigError, selectModels } from './model/select.ts';
import { parseAuthConfig } from './auth/auth-config.ts';
import { relayTarget } from './traces/relay-target.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const EnvSchema = z.object({
  PORT: int(8080),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default(join(repoRoot, 'data')),
  SESSION_SECRET: optionalText.pipe(z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional()),
  ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional()),
  SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  CATALOG_MCP_URL: optionalText.pipe(z.string().url().optional()),
  SUPPORT_MCP_URL: optionalText.pipe(z.string().url().optional()),
  SUPPORT_TOKEN_SECRET: optionalText,
  /**
   * Where the host runs the MCP services it starts itself (no *_MCP_URL). `in-process` (default): inside the host, one
   * service each for everyone, called over their stateless HTTP face without a socket. `process` (support; `shared` is
   * its former name) and `stdio` (catalog): one child process each. `stdio-per-customer`: a support process per
   * signed-in customer (the former layout, kept for the benchmark's comparison).
   */
  CATALOG_MCP_MODE: z.enum(['in-process', 'stdio']).default('in-process'),
  SUPPORT_MCP_MODE: z
    .enum(['in-process', 'process', 'shared', 'stdio-per-customer'])
    .default('in-process')
    .transform((mode) => (mode === 'shared' ? 'process' : mode)),
  APPROVAL_TTL_SECONDS: int(86_400, 1),
  APPROVAL_SWEEP_SECONDS: int(30, 1),
  MAX_AGENT_STEPS: int(6, 1),
  MCP_TIMEOUT_MS: int(30_000, 100),
  SUPPORT_IDLE_SECONDS: int(300, 1),
  SUPPORT_POOL_MAX: int(32, 1),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL').optional()),
  DATABASE_POOL_MAX: int(10, 1),
  /** Connections for turn locks: one per turn running at this moment (a waiting turn holds none). */
  DATABASE_LOCK_POOL_MAX: int(16, 1),
  TRACE_STORE: z.enum(['on', 'off']).default('on'),
  TRACE_RETENTION_DAYS: z.coerce.number().positive().default(7),
  TRACE_RETENTION_MB: z.coerce.number().positive().default(200),
  TRACE_PRUNE_SECONDS: int(60, 1),
  LIMIT_MESSAGES_PER_MINUTE: int(20),
  LIMIT_MESSAGES_PER_MINUTE_PER_IP: int(60),
  LIMIT_SIGNINS_PER_MINUTE_PER_IP: int(10),
  LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER: int(5),
  // Counted in millionths of a dollar in an integer column: 2,000 USD a day is far above any store's need.
  LIMIT_DAILY_BUDGET_USD: z.coerce.number().min(0).max(2_000).default(1),
  /** The window of the per-minute limits; shorter only in tests. */
  LIMIT_WINDOW_SECONDS: int(60, 1),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d{1,2})$/, 'TRUST_PROXY must be true, false or the number of proxies in front')
    .default('false'),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The only place that reads the environment: every setting, validated once at start-up. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.SUPPORT_MCP_URL && !e.SUPPORT_TOKEN_SECRET) {
    throw new ConfigError('SUPPORT_TOKEN_SECRET is required when SUPPORT_MCP_URL is set (it signs the per-customer bearer tokens).');
  }
  if (e.DATABASE_URL && (!e.SESSION_SECRET || !e.ADMIN_TOKEN)) {
    // Every replica must sign and check cookies alike: no per-host secrets file with a shared database.
    const missing = [!e.SESSION_SECRET && 'SESSION_SECRET', !e.ADMIN_TOKEN && 'ADMIN_TOKEN'].filter(Boolean).join(' and ');
    throw new ConfigError(`${missing} must be set when DATABASE_URL is set (all replicas share them; none is generated per host).`);
  }
  let auth;
  try {
    auth = parseAuthConfig(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    /** Sign-in modes: demo by default; store-signed tokens or OpenID Connect for a real store. */
    auth,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    chinookPath: join(dataDir, 'chinook.db'),
    hostDbPath: join(dataDir, 'agent-host.db'),
    /** DATABASE_URL set: the host's state on PostgreSQL (shared by replicas); else SQLite at hostDbPath. */
    postgres: e.DATABASE_URL
      ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, lockPoolMax: e.DATABASE_LOCK_POOL_MAX }
      : undefined,
    secretsPath: join(dataDir, 'host-secrets.json'),
    sessionSecret: e.SESSION_SECRET,
    adminToken: e.ADMIN_TOKEN,
    secureCookies: e.SECURE_COOKIES === 'true',
    catalog: { url: e.CATALOG_MCP_URL, mode: e.CATALOG_MCP_MODE },
    support: {
      url: e.SUPPORT_MCP_URL,
      tokenSecret: e.SUPPORT_TOKEN_SECRET,
      /** Ignored when `url` is set (that service is shared by definition). */
      mode: e.SUPPORT_MCP_MODE,
      idleMs: e.SUPPORT_IDLE_SECONDS * 1000,
      poolMax: e.SUPPORT_POOL_MAX,
    },
    approvalTtlMs: e.APPROVAL_TTL_SECONDS * 1000,
    approvalSweepMs: e.APPROVAL_SWEEP_SECONDS * 1000,
    maxSteps: e.MAX_AGENT_STEPS,
    mcpTimeoutMs: e.MCP_TIMEOUT_MS,
    /** The span store behind /admin/traces (traces/). */
    traces: {
      enabled: e.TRACE_STORE === 'on',
      dbPath: join(dataDir, 'traces.db'),
      retention: { maxAgeMs: e.TRACE_RETENTION_DAYS * 86_400_000, maxBytes: Math.round(e.TRACE_RETENTION_MB * 1024 * 1024) },
      pruneEveryMs: e.TRACE_PRUNE_SECONDS * 1000,
      /** Where the children's spans go on to when an OTLP endpoint is configured. */
      relay: relayTarget(env),
    },
    /** Abuse limits (limits/): 0 turns one off. */
    limits: {
      windowSeconds: e.LIMIT_WINDOW_SECONDS,
      messagesPerCustomer: e.LIMIT_MESSAGES_PER_MINUTE,
      messagesPerIp: e.LIMIT_MESSAGES_PER_MINUTE_PER_IP,
      signInsPerIp: e.LIMIT_SIGNINS_PER_MINUTE_PER_IP,
      signInsPerCustomer: e.LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER,
      dailyBudgetUsd: e.LIMIT_DAILY_BUDGET_USD,
      /** Proxies in front whose X-Forwarded-For entries are believed: 0 → the socket's address. */
      trustedProxies: e.TRUST_PROXY === 'false' ? 0 : e.TRUST_PROXY === 'true' ? 1 : Number(e.TRUST_PROXY),
    },
    models: selectModelsOrFail(env),
    /** Passed through to the MCP server children: telemetry settings and the approval window, never model keys. */
    childEnv: pickChildEnv(env, e.APPROVAL_TTL_SECONDS),
  };
}

export type Config = ReturnType<typeof loadConfig>;

function pickChildEnv(env: Record<string, string | undefined>, approvalTtlSeconds: number): Record<string, string> {
  const out: Record<string, string> = { APPROVAL_TTL_SECONDS: String(approvalTtlSeconds) };
  for (const [key, value] of Object.entries(env)) {
    // Not OTEL_SERVICE_NAME: it would rename the servers; each process names itself.
    if (value !== undefined && ((key.startsWith('OTEL_') && key !== 'OTEL_SERVICE_NAME') || key === 'REQUEST_STATE_KEY')) out[key] = value;
  }
  return out;
}

function selectModelsOrFail(env: Record<string, string | undefined>) {
  try {
    return selectModels(env);
  } catch (error) {
    if (error instanceof ModelConfigError) throw new ConfigError(error.message);
    throw error;
  }
}
