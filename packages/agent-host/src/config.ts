import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError as ModelConfigError, selectModels } from './model/select.ts';

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
  APPROVAL_TTL_SECONDS: int(86_400, 1),
  APPROVAL_SWEEP_SECONDS: int(30, 1),
  MAX_AGENT_STEPS: int(6, 1),
  MCP_TIMEOUT_MS: int(30_000, 100),
  SUPPORT_IDLE_SECONDS: int(300, 1),
  SUPPORT_POOL_MAX: int(32, 1),
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
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    chinookPath: join(dataDir, 'chinook.db'),
    hostDbPath: join(dataDir, 'agent-host.db'),
    secretsPath: join(dataDir, 'host-secrets.json'),
    sessionSecret: e.SESSION_SECRET,
    adminToken: e.ADMIN_TOKEN,
    secureCookies: e.SECURE_COOKIES === 'true',
    catalog: { url: e.CATALOG_MCP_URL },
    support: {
      url: e.SUPPORT_MCP_URL,
      tokenSecret: e.SUPPORT_TOKEN_SECRET,
      idleMs: e.SUPPORT_IDLE_SECONDS * 1000,
      poolMax: e.SUPPORT_POOL_MAX,
    },
    approvalTtlMs: e.APPROVAL_TTL_SECONDS * 1000,
    approvalSweepMs: e.APPROVAL_SWEEP_SECONDS * 1000,
    maxSteps: e.MAX_AGENT_STEPS,
    mcpTimeoutMs: e.MCP_TIMEOUT_MS,
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
