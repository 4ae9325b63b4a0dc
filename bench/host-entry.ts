// The agent host for benchmarks: the real composition root on the real config (PORT, DATA_DIR, SUPPORT_MCP_URL…),
// with the deterministic bench models injected, BENCH_MODEL_LATENCY_MS slept before each model call.
// Prints `bench host listening on URL` once it serves.
import { loadConfig } from '../packages/agent-host/src/config.ts';
import { startHost } from '../packages/agent-host/src/compose.ts';
import { createBenchModels } from './lib/bench-models.ts';

const latencyMs = Number(process.env.BENCH_MODEL_LATENCY_MS ?? 0);
const log = process.env.BENCH_LOG === '1' ? (line: string) => console.error(line) : () => {};
const host = await startHost(loadConfig(process.env), { models: createBenchModels(latencyMs), log });
console.log(`bench host listening on ${host.url}`);
const stop = () => void host.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
