import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One check as the conformance CLI writes it to `checks.json`. */
export interface ConformanceCheck {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
  details?: unknown;
}

const CLI = join(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json'), '../dist/index.js');

/**
 * Runs `conformance server --url URL` (`@modelcontextprotocol/conformance`, its active server suite, or one
 * scenario) and returns each scenario's checks, read from the `checks.json` files it writes. The CLI's exit code
 * is not used: it fails whenever any scenario fails, and which ones apply is the caller's call.
 * https://github.com/modelcontextprotocol/conformance#server-testing
 */
export async function runConformance({ url, scenario }: { url: string | URL; scenario?: string }): Promise<Record<string, ConformanceCheck[]>> {
  const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
  try {
    const args = [CLI, 'server', '--url', String(url), '-o', out, ...(scenario ? ['--scenario', scenario] : [])];
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        // Exit 1 means "some scenario failed"; anything else (killed, crashed) is the runner's own failure.
        if (error && error.code !== 1) reject(new Error(`conformance CLI failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`));
        else resolve();
      }),
    );
    const results: Record<string, ConformanceCheck[]> = {};
    for (const folder of readdirSync(out)) {
      // `server-<scenario>-<ISO timestamp with dashes>`
      const name = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(folder)?.[1];
      if (name) results[name] = JSON.parse(readFileSync(join(out, folder, 'checks.json'), 'utf8')) as ConformanceCheck[];
    }
    return results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** What a tools-only server is judged on: the protocol itself (lifecycle, ping, tools/list, concurrent streams, Host checks). */
export const APPLICABLE_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

const METHOD_NOT_FOUND = /MCP error -32601: Method not found/;
const FIXTURE_TOOL_NOT_FOUND = /MCP error -32602: Tool test_\w+ not found/;

/**
 * The rest of the active suite tests the reference "everything" server: capabilities our servers do not declare
 * (logging, completions, resources, prompts: answered -32601, as the spec asks) or its fixture tools `test_*`
 * (answered -32602, unknown tool). Each must fail for that reason and no other.
 */
export const NOT_APPLICABLE_SCENARIOS: Record<string, RegExp> = {
  'logging-set-level': METHOD_NOT_FOUND,
  'tools-call-with-logging': METHOD_NOT_FOUND,
  'completion-complete': METHOD_NOT_FOUND,
  ...Object.fromEntries(
    ['list', 'read-text', 'read-binary', 'templates-read', 'subscribe', 'unsubscribe'].map((s) => [`resources-${s}`, METHOD_NOT_FOUND]),
  ),
  ...Object.fromEntries(['list', 'get-simple', 'get-with-args', 'get-embedded-resource', 'get-with-image'].map((s) => [`prompts-${s}`, METHOD_NOT_FOUND])),
  ...Object.fromEntries(
    ['simple-text', 'image', 'audio', 'embedded-resource', 'mixed-content', 'error', 'with-progress', 'sampling', 'elicitation'].map((s) => [
      `tools-call-${s}`,
      FIXTURE_TOOL_NOT_FOUND,
    ]),
  ),
  'elicitation-sep1034-defaults': FIXTURE_TOOL_NOT_FOUND,
  'elicitation-sep1330-enums': FIXTURE_TOOL_NOT_FOUND,
};

/** What keeps a tools-only server's results from passing, one line each; empty when it passes. */
export function conformanceProblems(results: Record<string, ConformanceCheck[]>): string[] {
  const expected = [...APPLICABLE_SCENARIOS, ...Object.keys(NOT_APPLICABLE_SCENARIOS)].sort();
  const ran = Object.keys(results).sort();
  if (ran.join() !== expected.join()) return [`scenarios run: ${ran.join(', ')}; expected: ${expected.join(', ')}`];
  const problems: string[] = [];
  for (const scenario of APPLICABLE_SCENARIOS) {
    const checks = results[scenario]!;
    if (checks.length === 0) problems.push(`${scenario}: no checks`);
    for (const check of checks) if (check.status === 'FAILURE') problems.push(`${scenario}: ${check.id}: ${check.errorMessage ?? 'failed'}`);
  }
  for (const [scenario, reason] of Object.entries(NOT_APPLICABLE_SCENARIOS)) {
    for (const check of results[scenario]!) {
      if (check.status === 'FAILURE' && !reason.test(check.errorMessage ?? '')) problems.push(`${scenario}: ${check.id}: ${check.errorMessage ?? 'failed'}`);
    }
  }
  return problems;
}
