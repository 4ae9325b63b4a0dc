import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createModel } from './create-model.ts';
import { ConfigError, describeSelection, parseModelName, selectModels } from './select.ts';

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('selectModels', () => {
  it('defaults every role to the offline model when nothing is set', () => {
    const selection = selectModels({});
    for (const role of ['supervisor', 'music_expert', 'support_rep'] as const) {
      expect(selection[role]).toEqual({ role, provider: 'offline', model: 'offline', source: 'default' });
    }
  });

  it("defaults to the seed's gpt-4o-mini when an OpenAI key is present for api.openai.com", () => {
    const selection = selectModels({ OPENAI_API_KEY: 'sk-live-abcdefgh', MUSIC_EXPERT_MODEL: 'offline' });
    expect(selection.supervisor).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', source: 'default' });
    expect(selection.supervisor.apiKey?.reveal()).toBe('sk-live-abcdefgh');
    expect(selection.music_expert).toMatchObject({ provider: 'offline', source: 'env' });
  });

  it('stays offline by default when OPENAI_BASE_URL points elsewhere (a local server needs a named model)', () => {
    expect(selectModels({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).support_rep.provider).toBe('offline');
  });

  it.each([
    ['gpt-4o-mini', 'openai', 'gpt-4o-mini'],
    ['gpt-5', 'openai', 'gpt-5'],
    ['o1-mini', 'openai', 'o1-mini'],
    ['o3', 'openai', 'o3'],
    ['o4-mini', 'openai', 'o4-mini'],
    ['chatgpt-4o-latest', 'openai', 'chatgpt-4o-latest'],
    ['claude-3-5-haiku-20241022', 'anthropic', 'claude-3-5-haiku-20241022'],
    ['gemini-2.5-flash', 'gcp.gemini', 'gemini-2.5-flash'],
    ['deepseek-chat', 'deepseek', 'deepseek-chat'],
    ['openai:llama3.1', 'openai', 'llama3.1'],
    ['openai:qwen2.5:7b', 'openai', 'qwen2.5:7b'],
    ['anthropic:my-proxy-model', 'anthropic', 'my-proxy-model'],
    ['gemini:learnlm-2.0', 'gcp.gemini', 'learnlm-2.0'],
    ['google:gemini-pro', 'gcp.gemini', 'gemini-pro'],
    ['offline', 'offline', 'offline'],
  ])('%s → %s', (raw, provider, model) => {
    expect(parseModelName('X_MODEL', raw)).toEqual({ provider, model });
  });

  it('reads keys and base URLs per provider', () => {
    const selection = selectModels({
      SUPERVISOR_MODEL: 'deepseek-chat',
      MUSIC_EXPERT_MODEL: 'claude-3-5-haiku-latest',
      SUPPORT_REP_MODEL: 'gemini-2.5-flash',
      DEEPSEEK_API_KEY: 'ds-key-1234',
      ANTHROPIC_API_KEY: 'ant-key-1234',
      ANTHROPIC_BASE_URL: 'https://proxy.example/anthropic',
      GOOGLE_API_KEY: 'google-key-1234',
    });
    expect(selection.supervisor).toMatchObject({ provider: 'deepseek', baseURL: 'https://api.deepseek.com' });
    expect(selection.supervisor.apiKey?.reveal()).toBe('ds-key-1234');
    expect(selection.music_expert).toMatchObject({ provider: 'anthropic', baseURL: 'https://proxy.example/anthropic' });
    expect(selection.support_rep.apiKey?.reveal()).toBe('google-key-1234');
  });

  it('GEMINI_API_KEY wins over GOOGLE_API_KEY', () => {
    const selection = selectModels({ SUPERVISOR_MODEL: 'gemini-2.5-flash', GEMINI_API_KEY: 'gem-1234', GOOGLE_API_KEY: 'goo-1234' });
    expect(selection.supervisor.apiKey?.reveal()).toBe('gem-1234');
  });

  it('a local OpenAI-compatible server may go keyless', () => {
    const selection = selectModels({ SUPPORT_REP_MODEL: 'openai:llama3.1', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
    expect(selection.support_rep).toEqual({
      role: 'support_rep',
      provider: 'openai',
      model: 'llama3.1',
      source: 'env',
      baseURL: 'http://127.0.0.1:11434/v1',
    });
  });

  it.each([
    [{ MUSIC_EXPERT_MODEL: 'claude-3-5-haiku-20241022' }, 'MUSIC_EXPERT_MODEL=claude-3-5-haiku-20241022 needs ANTHROPIC_API_KEY, which is not set (or choose another model, e.g. offline)'],
    [{ SUPERVISOR_MODEL: 'gpt-4o' }, 'SUPERVISOR_MODEL=gpt-4o needs OPENAI_API_KEY, which is not set (or choose another model, e.g. offline)'],
    [{ SUPPORT_REP_MODEL: 'gemini-2.5-flash' }, 'SUPPORT_REP_MODEL=gemini-2.5-flash needs GEMINI_API_KEY (or GOOGLE_API_KEY), which is not set (or choose another model, e.g. offline)'],
    [{ SUPPORT_REP_MODEL: 'deepseek-chat', DEEPSEEK_API_KEY: '  ' }, 'SUPPORT_REP_MODEL=deepseek-chat needs DEEPSEEK_API_KEY, which is not set (or choose another model, e.g. offline)'],
    [{ SUPERVISOR_MODEL: 'llama3.1' }, "SUPERVISOR_MODEL=llama3.1: can't tell the provider from the name; write provider:model (e.g. openai:llama3.1 for a local OpenAI-compatible server) or offline"],
    [{ SUPERVISOR_MODEL: 'mistral:large' }, "SUPERVISOR_MODEL=mistral:large: unknown provider 'mistral' (use openai:, anthropic:, gemini:, deepseek: or offline)"],
    [{ OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL must be an http(s) URL'],
    [{ MUSIC_EXPERT_MODEL: 'gpt 4o' }, 'MUSIC_EXPERT_MODEL is not a model name (letters, digits and . : / @ + - _ only)'],
  ])('one clear line: %j', (env, message) => {
    const error = configError(() => selectModels(env));
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('never shows a key: not in errors, logs, JSON or inspect output', () => {
    const selection = selectModels({ SUPERVISOR_MODEL: 'gpt-4o', OPENAI_API_KEY: 'sk-very-secret-value' });
    expect(JSON.stringify(selection)).not.toContain('sk-very-secret-value');
    expect(inspect(selection, { depth: 5 })).not.toContain('sk-very-secret-value');
    expect(`${selection.supervisor.apiKey}`).toBe('[redacted]');
    expect(describeSelection(selection).join('\n')).not.toContain('sk-very-secret-value');
  });

  it('describes the selection for the start-up log', () => {
    const lines = describeSelection(selectModels({ MUSIC_EXPERT_MODEL: 'openai:llama3.1', OPENAI_BASE_URL: 'http://user:pw@localhost:11434/v1' }));
    expect(lines).toEqual([
      'supervisor: offline demo model [default; set SUPERVISOR_MODEL to change]',
      'music_expert: llama3.1 (openai at http://localhost:11434/v1)',
      'support_rep: offline demo model [default; set SUPPORT_REP_MODEL to change]',
    ]);
  });
});

describe('createModel', () => {
  it('builds the adapter for each provider', () => {
    const selection = selectModels({
      SUPERVISOR_MODEL: 'gpt-4o-mini',
      MUSIC_EXPERT_MODEL: 'claude-3-5-haiku-latest',
      SUPPORT_REP_MODEL: 'gemini-2.5-flash',
      OPENAI_API_KEY: 'a-123456',
      ANTHROPIC_API_KEY: 'b-123456',
      GEMINI_API_KEY: 'c-123456',
    });
    expect(createModel(selection.supervisor)).toMatchObject({ provider: 'openai', modelId: 'gpt-4o-mini', endpoint: { address: 'api.openai.com', port: 443 } });
    expect(createModel(selection.music_expert)).toMatchObject({ provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' });
    expect(createModel(selection.support_rep)).toMatchObject({ provider: 'gcp.gemini', modelId: 'gemini-2.5-flash' });
    expect(createModel(selectModels({}).supervisor)).toMatchObject({ provider: 'offline', displayName: 'offline demo model' });
  });

  it('a keyless local server model talks to its base URL through the injected fetch', async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(
        JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'llama3.1', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }),
        { headers: { 'content-type': 'application/json' } },
      );
    };
    const config = selectModels({ SUPERVISOR_MODEL: 'openai:llama3.1', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).supervisor;
    const response = await createModel(config, { fetch }).generate({ messages: [{ role: 'user', content: 'hi' }] });
    expect(response.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(seen).toEqual(['http://127.0.0.1:11434/v1/chat/completions']);
  });
});
