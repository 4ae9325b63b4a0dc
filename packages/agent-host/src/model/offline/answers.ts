import type { ToolResultPart } from '../types.ts';

/**
 * Short, friendly answers written from the tools' structuredContent (shapes in
 * docs/tool-contracts.md). Each list answer ends with one follow-up question the specialist can act
 * on when the customer just says 'yes' (see intents.ts): the question is phrased in the same words a
 * customer would use. Internal ids are never printed; invoice numbers are customer-facing.
 */

type Row = Record<string, unknown>;
const MAX_ITEMS = 10;

const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.filter((v): v is Row => !!v && typeof v === 'object') : []);
const money = (value: unknown) => (typeof value === 'number' ? `$${value.toFixed(2)}` : undefined);
const duration = (ms: unknown) => {
  if (typeof ms !== 'number' || ms <= 0) return undefined;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};
/** Case and accents do not make a title different ("motorhead" is Motörhead). */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
const day = (iso: unknown) => (typeof iso === 'string' ? iso.slice(0, 10) : undefined);
const joinParts = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(', ');

/** A bulleted list of at most MAX_ITEMS, saying how many more there are. */
function list(items: string[], truncated: unknown): string {
  const shown = items.slice(0, MAX_ITEMS).map((item) => `- ${item}`);
  const more = items.length - shown.length;
  if (more > 0) shown.push(`…and ${more} more.`);
  else if (truncated === true) shown.push('…and more.');
  return shown.join('\n');
}

const trackLine = (t: Row, withArtist: boolean) =>
  `${str(t.name) ?? 'Untitled'}${withArtist && str(t.artist) ? ` by ${str(t.artist)}` : ''} (${joinParts(str(t.album), duration(t.durationMs), money(t.price))})`;

const ANSWERS: Record<string, (s: Row) => string> = {
  get_albums_by_artist: (s) => {
    const albums = rows(s.albums);
    if (albums.length === 0) return `Sorry, we don't carry any albums by ${str(s.query) ?? 'that artist'}. Would you like me to look up a different artist?`;
    const artist = str(albums[0]!.artist) ?? str(s.query)!;
    const several = new Set(albums.map((a) => a.artist)).size > 1;
    const items = albums.map((a) => `${str(a.title)}${several ? ` by ${str(a.artist)}` : ''}${typeof a.trackCount === 'number' ? ` (${a.trackCount} tracks)` : ''}`);
    return `Here are the albums by ${several ? `artists matching "${str(s.query)}"` : artist} we carry:\n${list(items, s.truncated)}\nWould you like to see the tracks by ${artist}?`;
  },
  get_tracks_by_artist: (s) => {
    const tracks = rows(s.tracks);
    if (tracks.length === 0) return `Sorry, we don't carry any tracks by ${str(s.query) ?? 'that artist'}. Would you like me to look up a different artist?`;
    const artist = str(tracks[0]!.artist) ?? str(s.query)!;
    return `Here are tracks by ${artist} we carry:\n${list(tracks.map((t) => trackLine(t, false)), s.truncated)}\nWould you like to see the albums by ${artist}?`;
  },
  check_for_songs: (s) => {
    const tracks = rows(s.tracks);
    if (tracks.length === 0) return `Sorry, we don't carry a song called "${str(s.query) ?? 'that'}". Would you like me to search for another song?`;
    const artist = str(tracks[0]!.artist);
    const exact = tracks.some((t) => fold(str(t.name) ?? '') === fold(str(s.query) ?? ''));
    const intro = exact ? 'Yes, we have it:' : `We don't have a song called exactly "${str(s.query)}", but these titles match:`;
    return `${intro}\n${list(tracks.map((t) => trackLine(t, true)), s.truncated)}${artist ? `\nWould you like to see more songs by ${artist}?` : ''}`;
  },
  get_artists_by_genre: (s) => {
    const artists = rows(s.artists);
    if (artists.length === 0) return `Sorry, we don't carry any ${str(s.query) ?? 'such'} artists. Would you like me to list the genres we have?`;
    const genre = str(artists[0]!.genre) ?? str(s.query);
    return `Here are ${genre} artists we carry:\n${list(artists.map((a) => str(a.name) ?? ''), s.truncated)}\nWould you like to see the albums by ${str(artists[0]!.name)}?`;
  },
  list_genres: (s) => {
    const genres = rows(s.genres);
    if (genres.length === 0) return "Sorry, I couldn't find any genres in the catalog right now.";
    // A short list the customer scans whole: every genre, biggest first, on one line.
    const byTracks = [...genres].sort((a, b) => Number(b.trackCount ?? 0) - Number(a.trackCount ?? 0));
    const names = byTracks.map((g) => str(g.name)).filter(Boolean).join(', ');
    return `We carry ${genres.length} genres: ${names}.\nWould you like to see the artists in the ${str(byTracks[0]!.name)} genre?`;
  },
  get_album_tracks: (s) => {
    const album = s.album as Row | null | undefined;
    if (!album) return `Sorry, we don't carry an album called "${str(s.query) ?? 'that'}". Would you like me to search for another album?`;
    const tracks = rows(s.tracks).map((t) => `${typeof t.number === 'number' ? `${t.number}. ` : ''}${str(t.name)} (${joinParts(duration(t.durationMs), money(t.price))})`);
    return `Tracks on ${str(album.title)} by ${str(album.artist)}:\n${list(tracks, s.truncated)}\nWould you like to see other albums by ${str(album.artist)}?`;
  },
  get_customer_profile: (s) => {
    const address = joinParts(str(s.address), str(s.city), str(s.state), str(s.postalCode), str(s.country));
    const lines = [
      ['Name', joinParts(str(s.firstName), str(s.lastName)).replace(', ', ' ')],
      ['Email', str(s.email)],
      ['Phone', str(s.phone)],
      ['Company', str(s.company)],
      ['Address', address],
    ].flatMap(([label, value]) => (value ? [`- ${label}: ${value}`] : []));
    return `Here are your account details:\n${lines.join('\n')}`;
  },
  get_invoice: (s) => {
    const invoice = s.invoice as Row | undefined;
    if (invoice) {
      const lines = rows(invoice.lines).map((l) => `${str(l.track)} by ${str(l.artist)} (${joinParts(money(l.unitPrice), typeof l.quantity === 'number' && l.quantity !== 1 ? `× ${l.quantity}` : undefined)})`);
      return [
        `Invoice ${invoice.invoiceId} from ${day(invoice.date)}: ${money(invoice.total)}${invoice.refunded ? ' (refunded)' : ''}.`,
        list(lines, false),
        str(invoice.billingAddress) ? `Billed to: ${str(invoice.billingAddress)}.` : undefined,
        invoice.refunded ? undefined : `If something is wrong with it, I can request a refund for invoice ${invoice.invoiceId}.`,
      ].filter(Boolean).join('\n');
    }
    return ordersAnswer(s, (newest) => `Would you like the details of invoice ${newest.invoiceId}?`);
  },
  process_refund: (s) => {
    const n = s.invoiceId ?? '';
    const amount = money(s.amount) ?? money((s.refund as Row | null)?.amount);
    switch (s.status) {
      case 'pending_approval':
        return `Your refund request for invoice ${n} is waiting for a store admin's approval. I'll let you know once it's decided.`;
      case 'refunded':
        return `Good news: your refund${amount ? ` of ${amount}` : ''} for invoice ${n} was approved and processed.`;
      case 'already_refunded':
        return `Invoice ${n} was already refunded earlier, so there is nothing more to do.`;
      case 'declined':
        return `Sorry, the refund for invoice ${n} was declined by the store.`;
      case 'cancelled':
        return `The refund request for invoice ${n} was cancelled; nothing was charged back.`;
      case 'expired':
        return `The approval window for the refund of invoice ${n} passed without a decision. You can ask again if you still want it.`;
      case 'unavailable':
        return `I can't request refunds right now because no admin can approve them from here. Please try again later.`;
      default:
        return str(s.message) ?? `The refund request for invoice ${n} has been handled.`;
    }
  },
  change_email: (s) => {
    switch (s.status) {
      case 'changed':
        return `Done: the email on your account is now ${str(s.newEmail) ?? str(s.new_email) ?? 'updated'}.`;
      case 'declined':
        return 'Sorry, the store did not approve the email change, so your email stays as it was.';
      default:
        return str(s.message) ?? 'Your email change request has been handled.';
    }
  },
};

/** The recent-orders list, ending with one follow-up question written from the orders (newest first). */
export function ordersAnswer(s: Row, followUp: (newest: Row, invoices: Row[]) => string): string {
  const invoices = rows(s.invoices);
  if (invoices.length === 0) return "I couldn't find any orders on your account yet.";
  const items = invoices.map((i) => `Invoice ${i.invoiceId}: ${day(i.date)}, ${money(i.total)}, ${i.itemCount} item${i.itemCount === 1 ? '' : 's'}${i.refunded ? ' (refunded)' : ''}`);
  return `Here are your most recent orders:\n${list(items, s.truncated)}\n${followUp(invoices[0]!, invoices)}`;
}

/** The answer to one tool result. */
export function answerFor(result: ToolResultPart): string {
  if (result.isError) return `Sorry, that didn't work: ${result.output.trim() || 'the lookup failed.'}`;
  const write = ANSWERS[result.name];
  const structured = result.structured;
  if (write && structured && typeof structured === 'object') return write(structured as Row);
  return result.output.trim().slice(0, 1000) || 'Done.';
}

/** Parallel results are answered one after another. */
export function answerForAll(results: ToolResultPart[]): string {
  return results.map(answerFor).join('\n\n');
}
