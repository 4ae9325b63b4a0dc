// The support side's two layouts, side by side, through the host's own code (`createSupportTopology`, the same
// McpConnection, the same tool call): the default ONE shared support service over HTTP (127.0.0.1, a bearer token
// per customer, keep-alive sockets) against the former stdio server per customer (`--customer-id`).
//   round trip   get_customer_profile {} for one customer, `calls` times in a row on each layout; the support
//                process's CPU per call is read from /proc (utime + stime) around the loop, the host's (client
//                side) from process.cpuUsage().
//   tokens       the shared service's RSS after 59 and after 5,900 distinct customer tokens (Chinook has 59
//                customers: ids reused, a distinct session id → `jti` per token), each used for one call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../packages/agent-host/src/config.ts';
import { createMcpConnection } from '../packages/agent-host/src/mcp/mcp-connection.ts';
import { keepAliveFetch } from '../packages/agent-host/src/mcp/keep-alive-fetch.ts';
import { createServiceProcess } from '../packages/agent-host/src/mcp/service-process.ts';
import { createSupportTopology } from '../packages/agent-host/src/mcp/support-topology.ts';
import { httpTransport, serverStart } from '../packages/agent-host/src/mcp/transports.ts';
import { mintCustomerToken } from '../packages/support-mcp/src/auth/customer-token.ts';
import { benchDataDir } from './lib/host-process.ts';
import { childrenOf, cpuMsOf, memoryOf } from './lib/proc.ts';
import { mib, round, summarize, timed, type Summary } from './lib/stats.ts';

export interface SharedSupportResult {
  calls: number;
  /** Microseconds per call, wall. */
  stdio: Summary;
  http: Summary;
  /** The default layout: the support service inside the calling process (its HTTP face without a socket). */
  inProcess: Summary;
  httpOverStdioP50: number;
  inProcessOverStdioP50: number;
  /** Microseconds of the support process's CPU per call. */
  stdioServerCpuPerCallUs: number;
  httpServerCpuPerCallUs: number;
  /** Microseconds of this (the host's) process's CPU per call: the client side of the same call. */
  stdioHostCpuPerCallUs: number;
  httpHostCpuPerCallUs: number;
  /** Client and service together: both are this process. */
  inProcessHostCpuPerCallUs: number;
  /** MiB. */
  rssAfter59Tokens: number;
  rssAfter5900Tokens: number;
  peakRssAfter5900Tokens: number;
  tokensPerSecond: number;
  tokensCount: number;
}

const CALL = { id: 'bench', name: 'get_customer_profile', arguments: {} };
const CUSTOMERS = 59;
const micro = (ms: number[]) => ms.map((x) => x * 1000);

async function roundTrip(mode: 'in-process' | 'process' | 'stdio-per-customer', dataDir: string, calls: number) {
  const config = loadConfig({ DATA_DIR: dataDir, SUPPORT_MCP_MODE: mode });
  const topology = createSupportTopology({ config, nodeArgs: () => serverStart('support').nodeArgs, childEnv: () => ({}), traced: (c) => c });
  const tools = topology.pool.forCustomer(16);
  try {
    await timed(100, 1, () => tools.callTool(CALL)); // start + warm-up
    const outcome = await tools.callTool(CALL);
    if (outcome.type !== 'result' || outcome.result.isError) throw new Error(`unexpected answer: ${JSON.stringify(outcome)}`);
    const pid =
      mode === 'in-process'
        ? undefined
        : (topology.service?.pid() ??
          childrenOf(process.pid).find((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('--customer-id'))!);
    const serverCpuMs = () => (pid === undefined ? 0 : cpuMsOf(pid));
    const before = serverCpuMs();
    const host = process.cpuUsage();
    const latencies = await timed(calls, 1, () => tools.callTool(CALL));
    const hostUs = process.cpuUsage(host);
    return {
      latency: summarize(micro(latencies)),
      serverCpuPerCallUs: round(((serverCpuMs() - before) / calls) * 1000),
      hostCpuPerCallUs: round((hostUs.user + hostUs.system) / calls),
    };
  } finally {
    await topology.pool.close();
  }
}

async function distinctTokens(dataDir: string, total: number) {
  const secret = 'bench-support-token-secret-0123456789abcdef';
  const service = createServiceProcess({
    label: 'support',
    nodeArgs: serverStart('support').nodeArgs,
    args: ['--http', '--host', '127.0.0.1', '--port', '0', '--db', join(dataDir, 'chinook.db')],
    env: () => ({ SUPPORT_TOKEN_SECRET: secret }),
  });
  const http = keepAliveFetch({ target: () => service.url(), retarget: (stale) => service.restart(stale) });
  let token = '';
  const connection = createMcpConnection({
    label: 'support',
    requestTimeoutMs: 30_000,
    createTransport: () => httpTransport('http://127.0.0.1/mcp', async () => token, http.fetch),
  });
  const rss: number[] = [];
  try {
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      token = await mintCustomerToken({ customerId: (i % CUSTOMERS) + 1, secret, ttlSeconds: 900, sessionId: `bench-session-${i}` });
      const outcome = await connection.callTool(CALL);
      if (outcome.type !== 'result' || outcome.result.isError) throw new Error(`token ${i}: ${JSON.stringify(outcome)}`);
      if (i + 1 === CUSTOMERS) rss.push(memoryOf(service.pid()!).rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const memory = memoryOf(service.pid()!);
    return { after59: mib(rss[0]!), afterAll: mib(memory.rss), peak: mib(memory.peak), tokensPerSecond: round(total / seconds) };
  } finally {
    await connection.close();
    http.close();
    await service.close();
  }
}

export async function benchSharedSupport(options: { calls: number; tokens: number }): Promise<SharedSupportResult> {
  const data = benchDataDir();
  try {
    const stdio = await roundTrip('stdio-per-customer', data.dir, options.calls);
    const http = await roundTrip('process', data.dir, options.calls);
    const inProcess = await roundTrip('in-process', data.dir, options.calls);
    const tokens = await distinctTokens(data.dir, options.tokens);
    return {
      calls: options.calls,
      stdio: stdio.latency,
      http: http.latency,
      inProcess: inProcess.latency,
      httpOverStdioP50: round(http.latency.p50 / stdio.latency.p50),
      inProcessOverStdioP50: round(inProcess.latency.p50 / stdio.latency.p50),
      stdioServerCpuPerCallUs: stdio.serverCpuPerCallUs,
      httpServerCpuPerCallUs: http.serverCpuPerCallUs,
      stdioHostCpuPerCallUs: stdio.hostCpuPerCallUs,
      httpHostCpuPerCallUs: http.hostCpuPerCallUs,
      inProcessHostCpuPerCallUs: inProcess.hostCpuPerCallUs,
      rssAfter59Tokens: tokens.after59,
      rssAfter5900Tokens: tokens.afterAll,
      peakRssAfter5900Tokens: tokens.peak,
      tokensPerSecond: tokens.tokensPerSecond,
      tokensCount: options.tokens,
    };
  } finally {
    data.remove();
  }
}
