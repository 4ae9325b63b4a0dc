// Test helpers: real SDK clients of both protocol eras, over stdio (spawned server) and HTTP.
import {
  Client,
  specTypeSchemas,
  StreamableHTTPClientTransport,
  withInputRequired,
  type CallToolResult,
  type ElicitResult,
  type InputRequiredResult,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN } from './temp-db.ts';

export type Era = 'modern' | 'legacy';
/** The params of an `elicitation/create` a 2025-era client received (form mode). */
export type ElicitParams = { message: string; requestedSchema?: unknown; _meta?: Record<string, unknown> };
/** What a 2025-era client's human answers to `elicitation/create`; `undefined` = client cannot elicit. */
export type Elicit = ((message: string, params: ElicitParams) => ElicitResult | Promise<ElicitResult>) | undefined;

export const MODERN = '2026-07-28';

export function makeClient({ era, elicit = undefined, canElicit = true }: { era: Era; elicit?: Elicit; canElicit?: boolean }) {
  const capabilities = canElicit ? { elicitation: { form: {} } } : {};
  const client =
    era === 'modern'
      ? new Client(
          { name: 'support-mcp-test-modern', version: '1.0.0' },
          {
            capabilities,
            versionNegotiation: { mode: { pin: MODERN } },
            inputRequired: { autoFulfill: false },
          },
        )
      : new Client({ name: 'support-mcp-test-legacy', version: '1.0.0' }, { capabilities });
  if (era === 'legacy' && canElicit) {
    client.setRequestHandler('elicitation/create', async (request) => {
      if (!elicit) throw new Error('no elicitation answer scripted');
      const params = request.params as ElicitParams;
      return elicit(params.message, params);
    });
  }
  return client;
}

/**
 * The person behind a 2025-era client, scripted: `answers` are taken in order, one per `elicitation/create`,
 * `asked` records every message shown and `requests` every request's params. An elicitation with no answer
 * left fails the request.
 */
export function scriptedHuman() {
  const human = {
    asked: [] as string[],
    requests: [] as ElicitParams[],
    answers: [] as Array<(message: string) => ElicitResult | Promise<ElicitResult>>,
    elicit: (message: string, params: ElicitParams) => {
      human.asked.push(message);
      human.requests.push(params);
      const next = human.answers.shift();
      if (!next) throw new Error('unexpected elicitation');
      return next(message);
    },
  };
  return human;
}

export type StdioOptions = {
  /** A SQLite file; or `database`: the arguments selecting any database (`TestBackend.args`). */
  dbPath?: string;
  database?: string[];
  customerId?: number;
  env?: Record<string, string>;
  era: Era;
  elicit?: Elicit;
  canElicit?: boolean;
  args?: string[];
  /** How node starts the server; default the executable from source (`bin/support-mcp.js`). */
  nodeArgs?: string[];
};

export async function connectStdio(options: StdioOptions) {
  const client = makeClient(options);
  const args = [...(options.nodeArgs ?? [BIN]), ...(options.database ?? ['--db', options.dbPath!]), ...(options.args ?? [])];
  if (options.customerId !== undefined) args.push('--customer-id', String(options.customerId));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { ...getDefaultEnvironment(), ...(options.env ?? {}) },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await client.connect(transport);
  return { client, close: () => client.close(), stderr: () => stderr };
}

export async function connectHttp(options: { url: string; token?: string; era: Era; elicit?: Elicit; canElicit?: boolean }) {
  const client = makeClient(options);
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(options.url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

/**
 * A `tools/call` in manual input-required mode (what the agent host does): the `input_required`
 * answer comes back to the caller; `retry` carries `inputResponses` and the `requestState`.
 */
export async function callManual(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  retry?: { inputResponses?: Record<string, unknown>; requestState?: string; _meta?: Record<string, unknown> },
): Promise<CallToolResult | InputRequiredResult> {
  return (await client.request(
    { method: 'tools/call', params: { name, arguments: args, ...(retry ?? {}) } },
    withInputRequired(specTypeSchemas.CallToolResult),
    { allowInputRequired: true },
  )) as CallToolResult | InputRequiredResult;
}

export const isInputRequired = (r: unknown): r is InputRequiredResult =>
  typeof r === 'object' && r !== null && (r as { resultType?: string }).resultType === 'input_required';

export const textOf = (r: CallToolResult) =>
  r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

export const accept = (content: Record<string, unknown>) => ({ approval: { action: 'accept', content } });
