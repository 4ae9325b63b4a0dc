import type { ChatMessage, ChatRequest, TextPart, ToolCallPart, ToolResultPart } from '../types.ts';
import { answerForAll, ordersAnswer } from './answers.ts';
import { intentFor, refundArguments, wantsRefundOfLatest, wantsRefundWithoutInvoice } from './intents.ts';
import { decideRoute, isRouteRequest } from './route.ts';
import { followUpQuestion, isAmbiguousReply, isNegativeReply, textOf } from './text.ts';

const CATALOG_TOOLS = ['get_albums_by_artist', 'get_tracks_by_artist', 'check_for_songs', 'get_artists_by_genre', 'list_genres', 'get_album_tracks'];
const SUPPORT_TOOLS = ['get_customer_profile', 'get_invoice', 'process_refund', 'change_email'];

const WELCOME =
  "Hi, welcome to Algorhythm! I'm the offline demo assistant. I can look up albums, songs, artists and genres in our catalog, " +
  'and help with your orders, invoices, account details and refunds. Try "What albums does AC/DC have?" or "Show me my recent orders".';
const MUSIC_EXAMPLES = '"What albums does AC/DC have?", "Show me jazz artists", "Do you have the song Yesterday?" or "What genres do you have?"';
const SUPPORT_EXAMPLES = '"Show me my recent orders", "What\'s on my account?", "Change my email to me@example.com" or "I want a refund for my last order because it was a mistake"';
const GREETING = /^\s*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings)\b/i;

/**
 * What the offline model says next, decided from what the request offers: the supervisor's forced
 * `route` tool, a specialist's tools with the user's message last, or tool results to answer from.
 */
export function replyTo(request: ChatRequest): Array<TextPart | ToolCallPart> {
  const callId = (index: number) => `offline-call-${request.messages.length}-${index}`;
  if (isRouteRequest(request)) {
    return [{ type: 'tool-call', id: callId(0), name: 'route', arguments: decideRoute(request.messages) }];
  }
  const offered = new Set((request.tools ?? []).map((tool) => tool.name));
  const last = [...request.messages].reverse().find((m) => m.role !== 'system');
  if (last?.role === 'tool') {
    const toolCall = (name: string, args: Record<string, unknown>): ToolCallPart => ({ type: 'tool-call', id: callId(0), name, arguments: args });
    return afterOrdersForRefund(last.content, askedIn(request.messages), offered, toolCall) ?? [text(answerForAll(last.content))];
  }
  if (last?.role !== 'user') return [text('Is there anything else I can help you with?')];

  const message = last.content;
  if (isNegativeReply(message)) return [text('No problem! Is there anything else I can help you with?')];
  const source = askedIn(request.messages);
  const intent = intentFor(source, offered);
  if (intent) return [{ type: 'tool-call', id: callId(0), name: intent.tool, arguments: intent.arguments }];
  if (offered.has('process_refund') && wantsRefundWithoutInvoice(source)) return [text(WHICH_ORDER)];
  if (GREETING.test(message)) return [text(WELCOME)];
  if (isAmbiguousReply(message)) return [text(`Sure! What would you like me to look up? ${rephrase(offered).replace(/^.*?Try/, 'Try')}`)];
  return [text(rephrase(offered))];
}

type Row = Record<string, unknown>;

/**
 * The customer asked for a refund without an invoice number and their orders were just looked up:
 * "my last order" is the newest one, so its refund is requested; otherwise the list ends by asking
 * which order it is, phrased so that 'yes' requests the newest one not yet refunded.
 */
function afterOrdersForRefund(
  results: ToolResultPart[],
  asked: string,
  offered: ReadonlySet<string>,
  toolCall: (name: string, args: Record<string, unknown>) => ToolCallPart,
): Array<TextPart | ToolCallPart> | undefined {
  const [result] = results;
  if (results.length !== 1 || result?.name !== 'get_invoice' || result.isError || !offered.has('process_refund')) return undefined;
  const orders = result.structured as Row | undefined;
  if (!Array.isArray(orders?.invoices) || !wantsRefundWithoutInvoice(asked)) return undefined;
  const invoices = orders.invoices as Row[];
  const newest = invoices[0];
  if (newest && wantsRefundOfLatest(asked)) {
    if (newest.refunded) return [text(`Your most recent order, invoice ${newest.invoiceId}, was already refunded, so there is nothing more to do.`)];
    return [toolCall('process_refund', refundArguments(Number(newest.invoiceId), asked))];
  }
  return [
    text(
      ordersAnswer(orders, () => {
        const open = invoices.find((invoice) => !invoice.refunded);
        return open ? `Which order is the refund for? Would you like a refund for invoice ${open.invoiceId}?` : 'All of these orders were already refunded.';
      }),
    ),
  ];
}

function rephrase(offered: ReadonlySet<string>): string {
  const examples = [
    ...(CATALOG_TOOLS.some((t) => offered.has(t)) ? [MUSIC_EXAMPLES] : []),
    ...(SUPPORT_TOOLS.some((t) => offered.has(t)) ? [SUPPORT_EXAMPLES] : []),
  ];
  const tryThese = examples.length ? ` Try asking like this: ${examples.join(', or ')}.` : '';
  return `Sorry, I'm the offline demo model and only understand a few kinds of questions.${tryThese}`;
}

const WHICH_ORDER = 'I can help with a refund. Which order is it for? Say "my last order", or give its invoice number ("show me my orders" lists them).';
const ASKED_WHICH_ORDER = /Which order is (it|the refund) for\?/;

/**
 * What the customer's latest message asks, read in context: 'yes' accepts the assistant's last offer (phrased
 * the way a customer would ask), and an answer to "which order is the refund for?" asks for that refund.
 */
function askedIn(messages: ChatMessage[]): string {
  const at = messages.findLastIndex((m) => m.role === 'user');
  if (at < 0) return '';
  const message = textOf(messages[at]!);
  const before = messages.slice(0, at).findLast((m) => m.role === 'assistant' && textOf(m).trim());
  const offer = before ? textOf(before) : '';
  if (isAmbiguousReply(message)) return followUpQuestion(offer) ?? '';
  if (ASKED_WHICH_ORDER.test(offer) && !/\brefund\b/i.test(message)) return `I want a refund for ${message}`;
  return message;
}

const text = (value: string): TextPart => ({ type: 'text', text: value });
