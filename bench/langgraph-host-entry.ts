// LangGraph.js behind our HTTP API, as its own process for the whole-turn bench: DATA_DIR/chinook.db,
// OPENAI_BASE_URL (the fake vendor), PORT (0 = any). Prints `langgraph host listening on URL` once it serves.
import { join } from 'node:path';
import { startLangGraphServer } from './lib/langgraph-server.ts';

const dataDir = process.env.DATA_DIR;
const baseURL = process.env.OPENAI_BASE_URL;
if (!dataDir || !baseURL) throw new Error('DATA_DIR and OPENAI_BASE_URL are required');
const server = await startLangGraphServer({ dbPath: join(dataDir, 'chinook.db'), baseURL, port: Number(process.env.PORT ?? 0) });
console.log(`langgraph host listening on ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
