const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 60) : undefined);

const PHRASES: Record<string, (args: Record<string, unknown>) => string> = {
  get_albums_by_artist: (a) => `Looking up ${str(a.artist) ?? 'the artist'}'s albums…`,
  get_tracks_by_artist: (a) => `Looking up tracks by ${str(a.artist) ?? 'the artist'}…`,
  check_for_songs: (a) => `Searching the catalog for “${str(a.song_title) ?? 'that song'}”…`,
  get_artists_by_genre: (a) => `Finding ${str(a.genre) ?? 'genre'} artists…`,
  list_genres: () => 'Listing the genres we carry…',
  get_album_tracks: (a) => `Opening the album ${str(a.album) ?? ''}…`.replace(' …', '…'),
  get_customer_profile: () => 'Checking your account details…',
  get_invoice: (a) => (a.invoice_id === undefined ? 'Looking up your recent orders…' : `Opening invoice ${String(a.invoice_id)}…`),
  process_refund: (a) => `Requesting a refund for invoice ${String(a.invoice_id ?? '')}…`,
};

/** A short human phrase for tool activity, shown in the chat while the tool runs. */
export function describeToolCall(name: string, args: Record<string, unknown>): string {
  return PHRASES[name]?.(args) ?? `Using ${name.replaceAll('_', ' ')}…`;
}
