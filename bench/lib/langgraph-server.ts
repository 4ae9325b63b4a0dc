// LangGraph.js built the seed's way, behind the same HTTP API the benches drive our host with:
// `POST /api/login {customerId}` sets a session cookie, `POST /api/chat {message, conversationId?}` with
// `Accept: application/json` answers `{conversationId, reply, route}`. A StateGraph: a supervisor node routes by a
// conditional edge to two `createReactAgent` specialists; every model is the real `ChatOpenAI` against the vendor
// at `baseURL`; the tools run in-process on the Chinook copy (better-sqlite3, parameterized), the customer taken
// from the signed-in session through the run's config, never from a tool argument; MemorySaver keeps each thread.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { Annotation, END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { openCatalogDb, type CatalogDb } from '../../packages/catalog-mcp/src/db/open-catalog-db.ts';
import { SPECIALIST_PROMPTS, SUPERVISOR_PROMPT } from '../../packages/agent-host/src/agents/prompts.ts';
import { ROUTE_TOOL } from '../../packages/agent-host/src/agents/supervisor.ts';

type Agent = 'music_expert' | 'support_rep';

const customerOf = (config: { configurable?: Record<string, unknown> } | undefined): number => {
  const id = config?.configurable?.customer_id;
  if (typeof id !== 'number') throw new Error('no signed-in customer in the run config');
  return id;
};

function musicTools(db: CatalogDb): StructuredToolInterface[] {
  const albums = db.prepare(
    `SELECT al.Title AS title, ar.Name AS artist FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId
      WHERE ar.Name LIKE ? ORDER BY ar.Name, al.Title LIMIT 20`,
  );
  return [
    tool(async ({ artist }: { artist: string }) => JSON.stringify(albums.all(`%${artist}%`)), {
      name: 'get_albums_by_artist',
      description: 'List the albums the store sells by artists whose name contains the given text.',
      schema: { type: 'object', properties: { artist: { type: 'string', description: 'An artist or band name' } }, required: ['artist'] } as never,
    }) as unknown as StructuredToolInterface,
  ];
}

function supportTools(db: CatalogDb): StructuredToolInterface[] {
  const profile = db.prepare(
    `SELECT FirstName, LastName, Email, Phone, Company, Address, City, State, Country, PostalCode FROM Customer WHERE CustomerId = ?`,
  );
  return [
    tool(async (_input: Record<string, never>, config) => JSON.stringify(profile.get(customerOf(config)) ?? null), {
      name: 'get_customer_profile',
      description: "Returns the signed-in customer's own profile. Takes no arguments.",
      schema: { type: 'object', properties: {} } as never,
    }) as unknown as StructuredToolInterface,
  ];
}

export function buildSeedGraph(options: { db: CatalogDb; baseURL: string }) {
  const model = () => new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0, apiKey: 'dummy', configuration: { baseURL: options.baseURL } });
  const router = model().bindTools(
    [{ type: 'function', function: { name: ROUTE_TOOL.name, description: ROUTE_TOOL.description, parameters: ROUTE_TOOL.inputSchema } }],
    { tool_choice: ROUTE_TOOL.name },
  );
  const State = Annotation.Root({ ...MessagesAnnotation.spec, route: Annotation<Agent> });
  return new StateGraph(State)
    .addNode('supervisor', async (state) => {
      const answer = (await router.invoke([new SystemMessage(SUPERVISOR_PROMPT), ...state.messages])) as AIMessage;
      return { route: answer.tool_calls?.[0]?.args.agent === 'music_expert' ? 'music_expert' : 'support_rep' } as const;
    })
    .addNode('music_expert', createReactAgent({ llm: model(), tools: musicTools(options.db), prompt: SPECIALIST_PROMPTS.music_expert }))
    .addNode('support_rep', createReactAgent({ llm: model(), tools: supportTools(options.db), prompt: SPECIALIST_PROMPTS.support_rep }))
    .addEdge(START, 'supervisor')
    .addConditionalEdges('supervisor', (state) => state.route, ['music_expert', 'support_rep'])
    .addEdge('music_expert', END)
    .addEdge('support_rep', END)
    .compile({ checkpointer: new MemorySaver() });
}

export async function startLangGraphServer(options: { dbPath: string; baseURL: string; port?: number }) {
  const db = openCatalogDb(options.dbPath);
  const graph = buildSeedGraph({ db, baseURL: options.baseURL });
  const customerExists = db.prepare('SELECT 1 FROM Customer WHERE CustomerId = ?').pluck();
  const sessions = new Map<string, number>();
  const threads = new Map<string, number>();

  const login = async (req: IncomingMessage, res: ServerResponse) => {
    const { customerId } = (await readJson(req)) as { customerId?: unknown };
    if (typeof customerId !== 'number' || !customerExists.get(customerId)) return send(res, 404, { error: 'No such customer.' });
    const token = randomBytes(24).toString('base64url');
    sessions.set(token, customerId);
    res.setHeader('set-cookie', `lg_session=${token}; HttpOnly; SameSite=Lax; Path=/`);
    return send(res, 200, { customer: { id: customerId } });
  };

  const chat = async (req: IncomingMessage, res: ServerResponse) => {
    const token = /(?:^|;\s*)lg_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const customerId = token ? sessions.get(token) : undefined;
    if (customerId === undefined) return send(res, 401, { error: 'Sign in first.' });
    const body = (await readJson(req)) as { message?: unknown; conversationId?: unknown };
    if (typeof body.message !== 'string' || !body.message.trim()) return send(res, 400, { error: 'message is required' });
    let conversationId = typeof body.conversationId === 'string' ? body.conversationId : undefined;
    if (conversationId && threads.get(conversationId) !== customerId) return send(res, 404, { error: 'Conversation not found.' });
    conversationId ??= randomUUID();
    threads.set(conversationId, customerId);
    try {
      const out = await graph.invoke(
        { messages: [new HumanMessage(body.message)] },
        { configurable: { thread_id: conversationId, customer_id: customerId } },
      );
      return send(res, 200, { conversationId, reply: String(out.messages.at(-1)?.content ?? ''), route: out.route });
    } catch (error) {
      return send(res, 502, { error: error instanceof Error ? error.message : String(error), conversationId });
    }
  };

  const server = createServer((req, res) => {
    const route = req.method === 'POST' && req.url === '/api/login' ? login : req.method === 'POST' && req.url === '/api/chat' ? chat : undefined;
    if (!route) return void send(res, 404, { error: 'not found' });
    route(req, res).catch((error: unknown) => send(res, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).finally(() => db.close()),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}
