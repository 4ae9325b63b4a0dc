import type { Track } from './schemas.ts';

/** 343719 → "5:43"; an hour or more → "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatPrice(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Let There Be Rock — Let There Be Rock (AC/DC), Rock, 6:06, $0.99" */
export function describeTrack(t: Track): string {
  const genre = t.genre ? `, ${t.genre}` : '';
  return `${t.name} — ${t.album} (${t.artist})${genre}, ${formatDuration(t.durationMs)}, ${formatPrice(t.price)}`;
}

export function truncationNote(truncated: boolean, limit: number): string {
  return truncated ? `\nShowing the first ${limit}; more exist. Narrow the search or raise \`limit\` (max 100).` : '';
}

/** User text is quoted back in replies; long text is shortened so a reply never echoes a 1 KB blob. */
export function quote(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`;
}
