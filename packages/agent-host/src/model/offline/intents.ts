/** What the offline specialist calls for a message: a tool name and its arguments. */
export interface ToolIntent {
  tool: string;
  arguments: Record<string, unknown>;
}

/** Cleans a captured name: quotes, trailing politeness and filler, punctuation. */
export function cleanName(raw: string): string {
  const FILLER = /\s*\b(please|thanks|thank you|in (your|the) (store|catalog(ue)?|shop)|(do )?you (have|carry|stock|sell)|have|got|available|at all)$/i;
  let name = raw.replace(/^[\s"'“‘]+|[\s"'”’?.!,]+$/g, '');
  for (let previous = ''; previous !== name; ) {
    previous = name;
    const stripped = name.replace(FILLER, '').replace(/[\s"'”’?.!,]+$/g, '');
    if (stripped) name = stripped; // a title may be nothing but such words ("Thank You")
  }
  return name.replace(/^the (band|artist|group|singer)\s+/i, '').trim();
}

const GENRES =
  'rock and roll|rock|jazz|metal|heavy metal|blues|pop|classical|latin|reggae|alternative & punk|alternative|punk|soundtrack|hip hop/rap|hip hop|rap|r&b/soul|r&b|soul|electronica/dance|electronica|dance|world|easy listening|bossa nova|comedy|drama|sci fi & fantasy|science fiction|tv shows|opera';
const GENRE_NAME = new RegExp(`\\b(${GENRES})\\b`, 'i');

type Rule = { tool: string; pattern: RegExp; args: (match: RegExpExecArray, text: string) => Record<string, unknown> | undefined };

/** Words a loose pattern may capture that are not names ("show me albums"). */
const NOT_A_NAME = /^(show( me)?|list|all|any|some|your|the|what|which|me|you|new|top|best|good|more|other|them|it|that|this)$/i;

const name = (key: string, group = 1) => (m: RegExpExecArray) => {
  const value = cleanName(m[group] ?? '');
  return value && !NOT_A_NAME.test(value) ? { [key]: value } : undefined;
};
const invoiceNumber = /\b(?:invoice|order|receipt)\s*(?:#|no\.?|number)?\s*(\d{1,9})\b/i;

/**
 * First match wins, so specific shapes come before general ones. Support rules come first: a refund
 * or invoice number in a sentence that also names an album is a support request.
 */
const RULES: Rule[] = [
  {
    tool: 'process_refund',
    pattern: /\brefund\b/i,
    args: (_m, text) => {
      const invoice = invoiceNumber.exec(text) ?? /\brefund\s+(?:for\s+|on\s+)?#?(\d{1,9})\b/i.exec(text);
      return invoice ? refundArguments(Number(invoice[1]), text) : undefined;
    },
  },
  {
    tool: 'change_email',
    pattern: /\b(?:change|update|set|replace)\b.*\be-?mail\b.*?([^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>,;!?]*[a-z])/i,
    args: (m, text) => {
      const reason = /\b(?:because|since|as)\s+(.+)$/i.exec(text)?.[1]?.trim().replace(/[.!]+$/, '').slice(0, 200);
      return { new_email: m[1], ...(reason ? { reason } : {}) };
    },
  },
  { tool: 'get_invoice', pattern: invoiceNumber, args: (m) => ({ invoice_id: Number(m[1]) }) },
  { tool: 'get_invoice', pattern: /\b(orders?|purchases?|purchased|bought|invoices?|receipts?|billing history|order history)\b/i, args: () => ({}) },
  { tool: 'get_customer_profile', pattern: /\b(account|profile|e-?mail|address|phone( number)?|contact (info|details)|my details)\b/i, args: () => ({}) },

  { tool: 'list_genres', pattern: /\b(what|which|list|show)\b.*\bgenres\b|\bgenres (do|does|have)\b|^genres\??$/i, args: () => ({}) },
  { tool: 'get_album_tracks', pattern: /\b(?:tracks|songs)\s+(?:are\s+)?(?:on|from|in)\s+(?:the\s+)?album\s+(.+)/i, args: name('album') },
  { tool: 'get_album_tracks', pattern: /\bwhat'?s\s+on\s+(?:the\s+)?album\s+(.+)/i, args: name('album') },
  { tool: 'check_for_songs', pattern: /\b(?:song|track)\s+(?:called|named|titled)\s+(.+)/i, args: name('song_title') },
  { tool: 'check_for_songs', pattern: /\b(?:do you|you)\s+(?:have|carry|sell)\s+(?:the|a)\s+(?:song|track)\s+(.+)/i, args: name('song_title') },
  { tool: 'check_for_songs', pattern: /\blooking for (?:the|a) (?:song|track)\s+(.+)/i, args: name('song_title') },
  { tool: 'get_tracks_by_artist', pattern: /\b(?:songs|tracks|music)\s+(?:by|from|of)\s+(.+)/i, args: name('artist') },
  { tool: 'get_albums_by_artist', pattern: /\balbums?\s+(?:by|from|of)\s+(.+)/i, args: name('artist') },
  { tool: 'get_albums_by_artist', pattern: /\bwhat\s+albums?\s+(?:does|do|did)\s+(.+?)\s+(?:have|make|release|record)/i, args: name('artist') },
  { tool: 'get_albums_by_artist', pattern: /^(?:show me\s+|list\s+)?(.+?)(?:'s|’s)?\s+albums\??$/i, args: name('artist') },
  { tool: 'get_artists_by_genre', pattern: /\bartists?\s+(?:are\s+)?in\s+the\s+(.+?)\s+genre\b/i, args: name('genre') },
  { tool: 'get_artists_by_genre', pattern: new RegExp(`\\b(${GENRES})\\s+(?:artists|bands|musicians|singers)\\b`, 'i'), args: name('genre') },
  { tool: 'get_artists_by_genre', pattern: new RegExp(`\\b(?:artists|bands)\\s+(?:in|of|for)\\s+(${GENRES})\\b`, 'i'), args: name('genre') },
  { tool: 'get_albums_by_artist', pattern: /\b(?:do you|you)\s+(?:have|carry|sell|stock)\s+(?:anything|any(?:thing)?\s+(?:music|albums?)?)\s*(?:by|from)\s+(.+)/i, args: name('artist') },
  { tool: 'get_albums_by_artist', pattern: /\b(?:tell me about|anything by|something by|what do you have (?:by|from))\s+(.+)/i, args: name('artist') },
  // Looser shapes last: "What albums do you have by Queen?", "Which songs have you got from U2?"
  { tool: 'get_albums_by_artist', pattern: /\balbums?\b[^?]*?\b(?:by|from)\s+(.+)/i, args: name('artist') },
  { tool: 'get_tracks_by_artist', pattern: /\b(?:songs|tracks)\b[^?]*?\b(?:by|from)\s+(.+)/i, args: name('artist') },
  { tool: 'get_artists_by_genre', pattern: GENRE_NAME, args: name('genre') },
];

/** The first rule whose tool is offered and whose pattern yields arguments. */
export function intentFor(text: string, offered: ReadonlySet<string>): ToolIntent | undefined {
  for (const rule of RULES) {
    if (!offered.has(rule.tool)) continue;
    const match = rule.pattern.exec(text);
    if (!match) continue;
    const args = rule.args(match, text);
    if (args) return { tool: rule.tool, arguments: args };
  }
  return undefined;
}

/** A refund asked for without an invoice number: the specialist asks for it rather than guessing. */
export const wantsRefundWithoutInvoice = (text: string) => /\brefund\b/i.test(text) && !invoiceNumber.test(text);

/** "Refund my last order": no number, but no guess either; the newest invoice is the one meant. */
export const wantsRefundOfLatest = (text: string) =>
  wantsRefundWithoutInvoice(text) && /\b(last|latest|most recent|newest)\s+(invoice|order|purchase|receipt)\b/i.test(text);

/**
 * `process_refund` arguments. Only a stated reason is passed on ("because …", or a clause such as
 * ", it was charged twice"): the admin should not read the request itself as its reason.
 */
export function refundArguments(invoiceId: number, text: string): Record<string, unknown> {
  const stated =
    /\b(?:because|since|as|reason(?: is)?:?)\s+(.+)$/i.exec(text)?.[1] ??
    /[,;:–—-]\s*((?:it|i|this|that|they|the)\b.+)$/i.exec(text)?.[1];
  const reason = stated?.trim().replace(/[.!]+$/, '').slice(0, 200);
  return { invoice_id: invoiceId, ...(reason ? { reason } : {}) };
}
