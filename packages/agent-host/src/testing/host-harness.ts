import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../config.ts';
import { startHost, type HostOptions, type RunningHost } from '../compose.ts';
import type { Approval, ElicitationAnswer } from '@algorhythm/web/schemas';
import { readSse } from '../cli/sse-client.ts';
import { LIMITS_OFF } from '../limits/testing/limits-off.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../../..');
export const PRISTINE_CHINOOK = join(repoRoot, 'data/chinook.pristine.sqlite');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A data folder with a fresh working copy of the real Chinook database: tests never touch data/chinook.db. */
export function makeDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-host-'));
  copyFileSync(PRISTINE_CHINOOK, join(dir, 'chinook.db'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestHost(
  dataDir: string,
  env: Record<string, string> = {},
  options: HostOptions = {},
): Promise<RunningHost> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    SESSION_SECRET: 'test-session-secret-0123456789-abcdef',
    ...LIMITS_OFF,
    ...env,
  });
  return startHost(config, { log: () => {}, ...options });
}

/**
 * One host on a fresh data folder for a whole test file: started before the first test, closed and
 * removed after the last. `restart()` stops it and starts a new one on the same data.
 */
export function useTestHost(env: Record<string, string> = {}, options: HostOptions = {}) {
  const state = {
    host: undefined as unknown as RunningHost,
    data: undefined as unknown as { dir: string; remove: () => void },
    async restart() {
      await state.host.close();
      state.host = await startTestHost(state.data.dir, env, options);
      return state.host;
    },
  };
  beforeAll(async () => {
    state.data = makeDataDir();
    state.host = await startTestHost(state.data.dir, env, options);
  });
  afterAll(async () => {
    await state.host?.close();
    state.data?.remove();
  });
  return state;
}

export interface ChatEventRecord {
  event: string;
  data: Record<string, unknown>;
}

/** A browser-like client: keeps the session cookie, speaks JSON and SSE. */
export class TestClient {
  cookie = '';
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const response = await fetch(`${this.base}${path}`, { ...init, headers });
    const set = response.headers.getSetCookie();
    if (set.length) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    return response;
  }

  async json<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(path, init);
    return { status: response.status, body: (await response.json()) as T };
  }

  async login(customerId: number) {
    return this.json('/api/login', { method: 'POST', body: JSON.stringify({ customerId }) });
  }

  /** Sends a chat message over SSE and collects every event until the stream ends. */
  async chat(message: string, conversationId?: string): Promise<{ events: ChatEventRecord[]; done: Record<string, unknown> }> {
    const response = await this.request('/api/chat', {
      method: 'POST',
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    if (response.status !== 200) throw new Error(`chat answered ${response.status}: ${await response.text()}`);
    const events: ChatEventRecord[] = [];
    await readSse(response, (event, data) => {
      events.push({ event, data: data as Record<string, unknown> });
    });
    const done = events.find((e) => e.event === 'done')?.data ?? {};
    return { events, done };
  }

  /** Opens the conversation's live stream and resolves with its events up to `done` or `error`. */
  async follow(conversationId: string): Promise<{ opened: Promise<void>; events: Promise<ChatEventRecord[]> }> {
    const response = await this.request(`/api/conversations/${conversationId}/events`);
    const events: ChatEventRecord[] = [];
    const done = readSse(response, (event, data) => {
      events.push({ event, data: data as Record<string, unknown> });
      return event === 'done' || event === 'error' ? 'stop' : undefined;
    }).then(() => events);
    return { opened: Promise.resolve(), events: done };
  }
}

export function admin(base: string) {
  return {
    async list(status?: string) {
      const response = await fetch(`${base}/api/admin/approvals${status ? `?status=${status}` : ''}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return { status: response.status, body: (await response.json()) as { approvals: Approval[] } };
    },
    /** Answers an approval as the admin page does: an elicitation answer. */
    async answer(id: string, answer: ElicitationAnswer | Record<string, unknown>) {
      const response = await fetch(`${base}/api/admin/approvals/${id}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    /** The refund form: approve with an optional note, or the admin's Decline button. */
    decide(id: string, decision: 'approve' | 'decline', note?: string) {
      if (decision === 'decline') return this.answer(id, { action: 'decline' });
      return this.answer(id, { action: 'accept', content: { approve: true, ...(note ? { note } : {}) } });
    },
  };
}
