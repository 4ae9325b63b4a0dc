// A stored conversation (GET /api/conversations/:id) rendered into the transcript.
import type { Conversation } from '../../src/api/schemas.ts';
import { approvalView, createApprovalCard, type ApprovalView } from './approval-card.ts';
import type { Transcript } from './transcript.ts';

export type Card = { element: HTMLElement; view: ApprovalView };

/** Renders messages and approval cards; returns the cards by approval id, for live updates. */
export function renderConversation(transcript: Transcript, conversation: Conversation): Map<string, Card> {
  transcript.clear();
  const turns = conversation.messages.map((message) => {
    if (message.role === 'user') {
      transcript.addUser(message.text, message.at);
      return undefined;
    }
    return transcript.addAssistant(message);
  });
  // A card goes in the answer to the message that asked for it: the first assistant reply after the last
  // user message written before the approval was created. Without one, it goes at the end.
  const cards = new Map<string, Card>();
  const byAge = [...conversation.approvals].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const approval of byAge) {
    const created = Date.parse(approval.createdAt);
    const asked = conversation.messages.findLastIndex((m) => m.role === 'user' && Date.parse(m.at) <= created);
    const reply = turns.find((turn, index) => turn && index > asked);
    const view = approvalView(approval);
    const element = createApprovalCard(view);
    cards.set(approval.id, { element, view });
    if (reply) reply.addExtra(element);
    else transcript.addAssistantExtra(element);
  }
  return cards;
}
