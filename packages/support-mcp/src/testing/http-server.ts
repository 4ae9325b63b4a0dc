// Test helper: the real executable in HTTP mode on 127.0.0.1 with an ephemeral port.
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import { BIN } from './temp-db.ts';

export const TEST_TOKEN_SECRET = 'support-mcp-test-token-secret-0123456789';

export type SpawnedHttpServer = { url: string; stop: () => Promise<void>; stderr: () => string };

/** `dbPath` for a SQLite file, or `database`: the arguments selecting any database (`TestBackend.args`). */
export async function spawnHttpServer({
  dbPath,
  database = ['--db', dbPath!],
  env = {},
}: { dbPath?: string; database?: string[]; env?: Record<string, string> }): Promise<SpawnedHttpServer> {
  const child = spawn(process.execPath, [BIN, ...database, '--http', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...getDefaultEnvironment(), SUPPORT_TOKEN_SECRET: TEST_TOKEN_SECRET, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A raw POST: tests send any Host/Origin/Authorization header. */
export { rawPost } from '@algorhythm/mcp-kit/testing';

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
