// The same scripted conversation through our hand-rolled agents and through LangGraph.js built the seed's way
// (a supervisor node routing to specialist ReAct agents, `createReactAgent`, with a MemorySaver checkpointer),
// side by side in one process. Both use the same zero-latency scripted model behaviour and the same tools: the
// real catalog and support MCP servers over stdio, through the same McpConnection. So the difference is the
// orchestration layer alone: reported per turn (wall time and this process's CPU time) and as a ratio.
import { join } from 'node:path';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ChatResult } from '@langchain/core/outputs';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { Annotation, END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { SPECIALIST_PROMPTS } from '../packages/agent-host/src/agents/prompts.ts';
import { runSpecialist } from '../packages/agent-host/src/agents/specialist-loop.ts';
import { routeTurn } from '../packages/agent-host/src/agents/supervisor.ts';
import { createMcpConnection, type McpConnection } from '../packages/agent-host/src/mcp/mcp-connection.ts';
import { toolSourceOf } from '../packages/agent-host/src/mcp/tool-source.ts';
import { serverStart, stdioTransport } from '../packages/agent-host/src/mcp/transports.ts';
import type { ChatMessage } from '../packages/agent-host/src/model/types.ts';
import { BENCH_TOOL_CALLS, createBenchModels, routeFor } from './lib/bench-models.ts';
import { benchDataDir } from './lib/host-process.ts';
import { round, summarize, type Summary } from './lib/stats.ts';

/** The scripted conversation: every turn routes, calls two tools in parallel, and answers. */
export const CONVERSATION = ['Which albums do you have by AC/DC?', 'Show me my profile and my invoices', 'What genres do you have?', 'And my invoices again?'];

export interface SideResult {
  wallMs: Summary;
  cpuMsPerTurn: number;
}

export interface LangGraphResult {
  conversations: number;
  turns: number;
  ours: SideResult;
  langgraph: SideResult;
  langgraphNoCheckpointer: SideResult;
  /** LangGraph ÷ ours. */
  ratio: { wallP50: number; wallMean: number; cpu: number };
}

// ---- our side: the host's own supervisor and specialist loop -----------------------------------------------

function oursRunner(catalog: McpConnection, support: McpConnection) {
  const models = createBenchModels(0);
  const sources = { music_expert: toolSourceOf('catalog', catalog), support_rep: toolSourceOf('support', support) };
  return async (history: ChatMessage[], message: string) => {
    history.push({ role: 'user', content: message });
    const { decision } = await routeTurn({ model: models.supervisor, history, previous: null });
    const step = await runSpecialist({
      model: models[decision.agent],
      system: SPECIALIST_PROMPTS[decision.agent],
      tools: sources[decision.agent],
      history,
      maxSteps: 6,
      emit: () => {},
    });
    history.push(...step.messages);
    return step.text;
  };
}

// ---- LangGraph side -----------------------------------------------------------------------------------------

/** A LangChain chat model with the same scripted behaviour as the bench models (zero latency). */
class ScriptedChatModel extends BaseChatModel {
  role: 'supervisor' | 'music_expert' | 'support_rep';
  counter = 0;
  constructor(role: ScriptedChatModel['role']) {
    super({});
    this.role = role;
  }
  _llmType() {
    return 'scripted';
  }
  override bindTools(): this {
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const id = () => `lg-${this.role}-${++this.counter}`;
    let message: AIMessage;
    const last = messages.at(-1);
    if (this.role === 'supervisor') {
      const user = [...messages].reverse().find((m) => m instanceof HumanMessage);
      message = new AIMessage({ content: '', tool_calls: [{ id: id(), name: 'route', args: { agent: routeFor(String(user?.content ?? '')), reason: 'bench' } }] });
    } else if (last instanceof ToolMessage) {
      const results = messages.slice(messages.findLastIndex((m) => m instanceof AIMessage)).filter((m) => m instanceof ToolMessage);
      message = new AIMessage(`Here is what I found: ${results.map((r) => String(r.content).slice(0, 80)).join(' / ')}`);
    } else {
      message = new AIMessage({ content: '', tool_calls: BENCH_TOOL_CALLS[this.role].map((call) => ({ id: id(), name: call.name, args: call.arguments })) });
    }
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

/** The MCP server's tools as LangChain tools, calling through the same connection as our side. */
async function toolsOf(connection: McpConnection): Promise<StructuredToolInterface[]> {
  const definitions = await connection.listTools();
  return definitions.map((definition) =>
    tool(
      async (args: Record<string, unknown>) => {
        const outcome = await connection.callTool({ id: 'lg', name: definition.name, arguments: args });
        return outcome.type === 'result' ? outcome.result.output : 'pending approval';
      },
      { name: definition.name, description: definition.description, schema: definition.inputSchema as never },
    ) as unknown as StructuredToolInterface,
  );
}

async function langGraphRunner(catalog: McpConnection, support: McpConnection, checkpointer: boolean) {
  const music = createReactAgent({ llm: new ScriptedChatModel('music_expert'), tools: await toolsOf(catalog), prompt: SPECIALIST_PROMPTS.music_expert });
  const supportAgent = createReactAgent({ llm: new ScriptedChatModel('support_rep'), tools: await toolsOf(support), prompt: SPECIALIST_PROMPTS.support_rep });
  const router = new ScriptedChatModel('supervisor');
  const State = Annotation.Root({ ...MessagesAnnotation.spec, route: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode('supervisor', async (state) => {
      const answer = (await router.invoke(state.messages)) as AIMessage;
      return { route: String(answer.tool_calls?.[0]?.args.agent ?? 'support_rep') };
    })
    .addNode('music_expert', music)
    .addNode('support_rep', supportAgent)
    .addEdge(START, 'supervisor')
    .addConditionalEdges('supervisor', (state) => state.route, ['music_expert', 'support_rep'])
    .addEdge('music_expert', END)
    .addEdge('support_rep', END)
    .compile(checkpointer ? { checkpointer: new MemorySaver() } : {});
  return async (thread: { id: string; messages: BaseMessage[] }, message: string) => {
    if (checkpointer) {
      const out = await graph.invoke({ messages: [new HumanMessage(message)] }, { configurable: { thread_id: thread.id } });
      return String(out.messages.at(-1)?.content ?? '');
    }
    const out = await graph.invoke({ messages: [...thread.messages, new HumanMessage(message)] });
    thread.messages = out.messages;
    return String(out.messages.at(-1)?.content ?? '');
  };
}

// ---- the run ------------------------------------------------------------------------------------------------

interface RawSide {
  wall: number[];
  cpuMs: number;
}

async function measureSide(conversations: number, turn: (conversation: number, message: string) => Promise<string>): Promise<RawSide> {
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let c = 0; c < conversations; c++) {
    for (const message of CONVERSATION) {
      const start = performance.now();
      const reply = await turn(c, message);
      wall.push(performance.now() - start);
      if (!reply.startsWith('Here is what I found')) throw new Error(`unexpected reply: ${reply.slice(0, 200)}`);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const combine = (runs: RawSide[]): SideResult => {
  const wall = runs.flatMap((r) => r.wall);
  return { wallMs: summarize(wall), cpuMsPerTurn: round(runs.reduce((s, r) => s + r.cpuMs, 0) / wall.length) };
};

export async function benchLangGraph(options: { conversations: number }): Promise<LangGraphResult> {
  const data = benchDataDir();
  const db = join(data.dir, 'chinook.db');
  const connect = (server: 'catalog' | 'support', args: string[]) =>
    createMcpConnection({ label: 'bench', requestTimeoutMs: 30_000, createTransport: () => stdioTransport(serverStart(server).nodeArgs, args, {}) });
  const catalog = connect('catalog', ['--db', db]);
  const support = connect('support', ['--customer-id', '16', '--db', db]);
  try {
    const ours = oursRunner(catalog, support);
    const withMemory = await langGraphRunner(catalog, support, true);
    const plain = await langGraphRunner(catalog, support, false);
    const histories = new Map<number, ChatMessage[]>();
    const threads = new Map<string, { id: string; messages: BaseMessage[] }>();
    const thread = (key: string) => threads.get(key) ?? threads.set(key, { id: key, messages: [] }).get(key)!;
    const sides = {
      ours: (c: number, m: string) => ours(histories.get(c) ?? histories.set(c, []).get(c)!, m),
      langgraph: (c: number, m: string) => withMemory(thread(`m${c}`), m),
      plain: (c: number, m: string) => plain(thread(`p${c}`), m),
    };
    // Warm-up of every side (JIT, MCP children), then the measured runs in alternating blocks.
    for (const side of Object.values(sides)) await measureSide(3, (c, m) => side(10_000 + c, m));
    const results = { ours: [] as RawSide[], langgraph: [] as RawSide[], plain: [] as RawSide[] };
    const blocks = 3;
    const per = Math.max(1, Math.round(options.conversations / blocks));
    for (let b = 0; b < blocks; b++) {
      for (const name of ['ours', 'langgraph', 'plain'] as const) results[name].push(await measureSide(per, (c, m) => sides[name](b * per + c, m)));
    }
    const o = combine(results.ours);
    const l = combine(results.langgraph);
    return {
      conversations: per * blocks,
      turns: per * blocks * CONVERSATION.length,
      ours: o,
      langgraph: l,
      langgraphNoCheckpointer: combine(results.plain),
      ratio: { wallP50: round(l.wallMs.p50 / o.wallMs.p50), wallMean: round(l.wallMs.mean / o.wallMs.mean), cpu: round(l.cpuMsPerTurn / o.cpuMsPerTurn) },
    };
  } finally {
    await catalog.close();
    await support.close();
    data.remove();
  }
}
