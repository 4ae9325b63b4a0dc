import type { AgentName, ApprovalStatus } from '../store/types.ts';

/** Events of one chat turn (and of work resumed later), as sent over SSE; names are the SSE `event:` field. */
export type ChatEvent =
  | { type: 'conversation'; id: string }
  | { type: 'route'; agent: AgentName; reason: string }
  | { type: 'tool'; name: string; status: 'started' | 'done' | 'error'; summary: string }
  | { type: 'delta'; text: string }
  | { type: 'approval'; id: string; status: ApprovalStatus; title: string; outcome: string | null }
  | { type: 'done'; conversationId: string; reply: string; route: AgentName | null }
  | { type: 'error'; message: string };

export function toSse(event: ChatEvent): { event: string; data: string } {
  const { type, ...data } = event;
  return { event: type, data: JSON.stringify(data) };
}
