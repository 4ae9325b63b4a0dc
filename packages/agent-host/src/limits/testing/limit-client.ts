import { TestClient } from '../../testing/host-harness.ts';

export interface Answer {
  status: number;
  body: { error?: string; conversationId?: string; reply?: string };
  retryAfter: number | undefined;
}

/** A browser behind a trusted proxy: every request carries `x-forwarded-for` (changeable, e.g. to spoof it). */
export class ClientAt extends TestClient {
  forwardedFor: string;
  constructor(base: string, forwardedFor: string) {
    super(base);
    this.forwardedFor = forwardedFor;
  }

  override async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', this.forwardedFor);
    return super.request(path, { ...init, headers });
  }

  /** One message as JSON (the whole turn in the answer), with the Retry-After of a refusal. */
  async send(message: string, conversationId?: string): Promise<Answer> {
    const response = await this.request('/api/chat', {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, body: (await response.json()) as Answer['body'], retryAfter: retryAfter === null ? undefined : Number(retryAfter) };
  }

  /** What is stored for this customer: conversations, and messages in each. */
  async stored(): Promise<Record<string, number>> {
    const list = await this.json<{ conversations: Array<{ id: string }> }>('/api/conversations');
    const counts: Record<string, number> = {};
    for (const { id } of list.body.conversations) {
      counts[id] = (await this.json<{ messages: unknown[] }>(`/api/conversations/${id}`)).body.messages.length;
    }
    return counts;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
