import type { ChatMessage, ChatRequest } from '../types.ts';

/** A message's visible text. */
export function textOf(message: ChatMessage): string {
  if (message.role === 'user' || message.role === 'system') return message.content;
  if (message.role === 'assistant') return message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
  return '';
}

const AMBIGUOUS_WORDS = new Set(
  'yes yeah yep yup sure ok okay alright please do go ahead more tell me show that would be great of course absolutely definitely why not sounds good no nope thanks thank you cool nice fine'.split(' '),
);

/** 'yes', 'sure', 'please do', 'tell me more', 'no thanks'…: a reply that means nothing on its own. */
export function isAmbiguousReply(text: string): boolean {
  const words = text.toLowerCase().replace(/[^a-z\s']/g, ' ').split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= 6 && words.every((word) => AMBIGUOUS_WORDS.has(word));
}

export function isNegativeReply(text: string): boolean {
  return isAmbiguousReply(text) && /\b(no|nope)\b/i.test(text);
}

/** The last question the assistant asked ("Would you like to see the tracks by AC/DC?"). */
export function followUpQuestion(text: string): string | undefined {
  const questions = text.match(/[^.!?\n]*\?/g);
  return questions?.at(-1)?.trim();
}

/** Word-sized chunks (spaces kept), so the UI visibly streams. */
export function chunksOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * Usage estimate: ~4 characters per token (the usual rule of thumb for English), over the visible
 * text, tool payloads and tool schemas. The offline model bills nothing; this only keeps the
 * dashboards' shapes realistic.
 */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export function requestChars(request: ChatRequest): number {
  let chars = JSON.stringify(request.tools ?? []).length;
  for (const message of request.messages) {
    if (message.role === 'tool') chars += message.content.reduce((n, r) => n + r.output.length, 0);
    else if (message.role === 'assistant') chars += message.content.reduce((n, p) => n + (p.type === 'text' ? p.text.length : JSON.stringify(p.arguments).length + p.name.length), 0);
    else chars += message.content.length;
  }
  return chars;
}
