// Display helpers: times, agent names, approval statuses. Presentation only.
import type { ApprovalStatus } from '../../src/api/schemas.ts';

// The specialists' display names live with their wire names in the shared schemas (names once).
export { AGENT_LABEL } from '../../src/api/schemas.ts';

/** The admin's words for a status (the admin's own "cancel" action is the Dismiss button). */
export const STATUS_LABEL: Record<ApprovalStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Dismissed',
  expired: 'Expired',
  failed: 'Failed',
};

/** "14 min left", "45 s left", "expired" — for a countdown to `until`. */
export function timeLeft(until: string, now = Date.now()): { text: string; urgent: boolean; over: boolean } {
  const ms = Date.parse(until) - now;
  if (!Number.isFinite(ms)) return { text: '', urgent: false, over: false };
  if (ms <= 0) return { text: 'time is up', urgent: true, over: true };
  const s = Math.ceil(ms / 1000);
  if (s < 60) return { text: `${s} s left`, urgent: true, over: false };
  const m = Math.floor(s / 60);
  if (m < 60) return { text: `${m} min ${String(s % 60).padStart(2, '0')} s left`, urgent: m < 2, over: false };
  const hours = Math.floor(m / 60);
  return { text: `${hours} h ${m % 60} min left`, urgent: false, over: false };
}

/** "just now", "3 min ago", "2 h ago", then a date. */
export function timeAgo(at: string, now = Date.now()): string {
  const ms = now - Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  const s = Math.round(ms / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const hours = Math.round(m / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function clockTime(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
