import type { AgentName } from '@algorhythm/web/schemas';
import type { ChatMessage, ChatRequest } from '../types.ts';
import { followUpQuestion, isAmbiguousReply, textOf } from './text.ts';

export type Topic = 'music' | 'support';
type Agent = AgentName;

/** Account words win over music words ("a refund for the album…" is support). */
const SUPPORT_WORDS =
  /\b(account|profile|e-?mail|address|phone|orders?|purchases?|purchased|bought|invoices?|receipts?|refunds?|billing|billed|charged?|payment|password|my details|contact info)\b/i;
const MUSIC_WORDS =
  /\b(albums?|songs?|tracks?|artists?|bands?|singers?|genres?|music|listen|playlists?|catalog(ue)?|discography|jazz|rock|metal|blues|pop|classical|latin|reggae|punk|soundtracks?|hip[ -]?hop|r&b|soul|electronic|opera|bossa nova|alternative|grunge|do you (have|carry|sell|stock))/i;
const GREETING = /^\s*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings)\b/i;

/** The topic one message is clearly about, if any. */
export function topicOf(text: string): Topic | undefined {
  if (SUPPORT_WORDS.test(text)) return 'support';
  if (MUSIC_WORDS.test(text)) return 'music';
  if (GREETING.test(text)) return 'support';
  return undefined;
}

/** The supervisor's request: exactly the `route` tool, forced. */
export function isRouteRequest(request: ChatRequest): boolean {
  const choice = request.toolChoice;
  return (
    request.tools?.length === 1 &&
    request.tools[0]?.name === 'route' &&
    typeof choice === 'object' &&
    choice.type === 'tool' &&
    choice.name === 'route'
  );
}

/**
 * The seed's keyword routing: the latest user message decides; only an ambiguous reply ('yes',
 * 'sure', 'more'…) looks back, first at what the assistant last said (the question it answers),
 * then at earlier user messages. Nothing clear goes to the support rep, who greets and helps.
 */
export function decideRoute(messages: ChatMessage[]): { agent: Agent; reason: string } {
  const latest = [...messages].reverse().find((m) => m.role === 'user');
  const text = latest ? textOf(latest) : '';
  if (!isAmbiguousReply(text)) {
    const topic = topicOf(text);
    if (topic) return { agent: agentFor(topic), reason: GREETING.test(text) && !SUPPORT_WORDS.test(text) && !MUSIC_WORDS.test(text) ? 'greeting' : `${topic} question` };
    return { agent: 'support_rep', reason: 'no clear topic' };
  }
  const earlier = messages.slice(0, latest ? messages.lastIndexOf(latest) : messages.length).reverse();
  for (const message of earlier) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    // What the assistant last offered is what a 'yes' accepts.
    const said = message.role === 'assistant' ? (followUpQuestion(textOf(message)) ?? textOf(message)) : textOf(message);
    const topic = topicOf(said);
    if (topic) return { agent: agentFor(topic), reason: `continues the ${topic} topic` };
  }
  return { agent: 'support_rep', reason: 'no clear topic' };
}

const agentFor = (topic: Topic): Agent => (topic === 'music' ? 'music_expert' : 'support_rep');
