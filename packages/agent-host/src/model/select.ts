import type { Role } from '@algorhythm/web/schemas';
import { z } from 'zod';
import { DEEPSEEK_BASE_URL } from './adapters/openai.ts';
import { Secret } from './secret.ts';

export type { Role };
export const ROLES: readonly Role[] = ['supervisor', 'music_expert', 'support_rep'];

/** The seed's variable names, kept. */
export const ROLE_ENV: Record<Role, string> = {
  supervisor: 'SUPERVISOR_MODEL',
  music_expert: 'MUSIC_EXPERT_MODEL',
  support_rep: 'SUPPORT_REP_MODEL',
};

export type SelectableProvider = 'openai' | 'deepseek' | 'anthropic' | 'gcp.gemini' | 'offline';

/** One role's validated model choice: everything `createModel` needs. */
export interface RoleModelConfig {
  role: Role;
  provider: SelectableProvider;
  model: string;
  /** 'env': the role's variable chose it; 'default': nothing was set (see DEFAULT_OPENAI_MODEL). */
  source: 'env' | 'default';
  /** Redacted when printed or serialized; `reveal()` only in `createModel`. */
  apiKey?: Secret;
  baseURL?: string;
}

export type ModelSelection = Record<Role, RoleModelConfig>;

/** A configuration mistake, worded as one line for the operator (never a key's value). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The seed's default model, used when a role names none but OPENAI_API_KEY is there for it. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const modelName = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(200)
    .regex(/^[\w.:/@+-]+$/, 'is not a model name (letters, digits and . : / @ + - _ only)')
    .optional(),
);
const key = z.preprocess(blankToUndefined, z.string().trim().optional());
const baseURL = z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());

const EnvSchema = z.object({
  SUPERVISOR_MODEL: modelName,
  MUSIC_EXPERT_MODEL: modelName,
  SUPPORT_REP_MODEL: modelName,
  OPENAI_API_KEY: key,
  OPENAI_BASE_URL: baseURL,
  ANTHROPIC_API_KEY: key,
  ANTHROPIC_BASE_URL: baseURL,
  GEMINI_API_KEY: key,
  GOOGLE_API_KEY: key,
  GEMINI_BASE_URL: baseURL,
  DEEPSEEK_API_KEY: key,
  DEEPSEEK_BASE_URL: baseURL,
});
type ModelEnv = z.infer<typeof EnvSchema>;

/** Provider from a bare model name's family prefix. */
const PREFIXES: Array<[RegExp, SelectableProvider]> = [
  [/^(gpt-|chatgpt-|o\d)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^(gemini-|gemma-)/, 'gcp.gemini'],
  [/^deepseek-/, 'deepseek'],
];

/** Explicit `provider:model` spellings. */
const EXPLICIT: Record<string, SelectableProvider> = {
  openai: 'openai',
  deepseek: 'deepseek',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  offline: 'offline',
};

/**
 * Validates the model variables and picks a provider, key and base URL per role. Throws a
 * ConfigError with one line naming the variable at fault.
 */
export function selectModels(env: Record<string, string | undefined>): ModelSelection {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')} ${issue.message}`);
  }
  const vars = parsed.data;
  const selection = {} as ModelSelection;
  for (const role of ROLES) selection[role] = selectRole(role, vars);
  return selection;
}

function selectRole(role: Role, vars: ModelEnv): RoleModelConfig {
  const variable = ROLE_ENV[role];
  const raw = vars[variable as keyof ModelEnv];
  if (!raw) return defaultFor(role, vars);
  const { provider, model } = parseModelName(variable, raw);
  return { role, provider, model, source: 'env', ...credentials(provider, vars, `${variable}=${raw}`) };
}

/**
 * Nothing set: the seed's gpt-4o-mini when an OpenAI key is there for api.openai.com (what a seed
 * user expects), otherwise the offline demo model, so a fresh machine works with no key at all.
 */
function defaultFor(role: Role, vars: ModelEnv): RoleModelConfig {
  if (vars.OPENAI_API_KEY && (!vars.OPENAI_BASE_URL || isOfficial(vars.OPENAI_BASE_URL, 'api.openai.com'))) {
    return { role, provider: 'openai', model: DEFAULT_OPENAI_MODEL, source: 'default', ...credentials('openai', vars, '') };
  }
  return { role, provider: 'offline', model: 'offline', source: 'default' };
}

export function parseModelName(variable: string, raw: string): { provider: SelectableProvider; model: string } {
  if (raw === 'offline') return { provider: 'offline', model: 'offline' };
  const explicit = /^([a-z]+):(.+)$/.exec(raw);
  if (explicit) {
    const provider = EXPLICIT[explicit[1]!];
    if (!provider) {
      throw new ConfigError(`${variable}=${raw}: unknown provider '${explicit[1]}' (use openai:, anthropic:, gemini:, deepseek: or offline)`);
    }
    return { provider, model: provider === 'offline' ? 'offline' : explicit[2]! };
  }
  const match = PREFIXES.find(([pattern]) => pattern.test(raw));
  if (!match) {
    throw new ConfigError(
      `${variable}=${raw}: can't tell the provider from the name; write provider:model (e.g. openai:${raw} for a local OpenAI-compatible server) or offline`,
    );
  }
  return { provider: match[1], model: raw };
}

function credentials(provider: SelectableProvider, vars: ModelEnv, chosenBy: string): { apiKey?: Secret; baseURL?: string } {
  const need = (keyVar: string, value: string | undefined, url: string | undefined, alternative = '') => {
    if (!value) throw new ConfigError(`${chosenBy} needs ${keyVar}${alternative}, which is not set (or choose another model, e.g. offline)`);
    return { apiKey: new Secret(value), ...(url ? { baseURL: url } : {}) };
  };
  /** OpenAI-compatible servers of one's own (Ollama, llama.cpp, vLLM, LM Studio) usually want no key. */
  const optional = (keyVar: string, value: string | undefined, url: string | undefined, officialHost: string) =>
    url && !isOfficial(url, officialHost) ? { ...(value ? { apiKey: new Secret(value) } : {}), baseURL: url } : need(keyVar, value, url);

  switch (provider) {
    case 'offline':
      return {};
    case 'openai':
      return optional('OPENAI_API_KEY', vars.OPENAI_API_KEY, vars.OPENAI_BASE_URL, 'api.openai.com');
    case 'deepseek':
      return {
        baseURL: DEEPSEEK_BASE_URL,
        ...optional('DEEPSEEK_API_KEY', vars.DEEPSEEK_API_KEY, vars.DEEPSEEK_BASE_URL, 'api.deepseek.com'),
      };
    case 'anthropic':
      return need('ANTHROPIC_API_KEY', vars.ANTHROPIC_API_KEY, vars.ANTHROPIC_BASE_URL);
    case 'gcp.gemini':
      return need('GEMINI_API_KEY', vars.GEMINI_API_KEY ?? vars.GOOGLE_API_KEY, vars.GEMINI_BASE_URL, ' (or GOOGLE_API_KEY)');
  }
}

function isOfficial(url: string, host: string): boolean {
  return new URL(url).hostname === host;
}

/** One line per role for the start-up log, e.g. `music_expert: claude-3-5-haiku-latest (anthropic)`. */
export function describeSelection(selection: ModelSelection): string[] {
  return ROLES.map((role) => {
    const config = selection[role];
    const at = config.baseURL ? ` at ${withoutCredentials(config.baseURL)}` : '';
    const what = config.provider === 'offline' ? 'offline demo model' : `${config.model} (${config.provider}${at})`;
    return `${role}: ${what}${config.source === 'default' ? ` [default; set ${ROLE_ENV[role]} to change]` : ''}`;
  });
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}
