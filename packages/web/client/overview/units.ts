// How the overview writes its numbers. Costs are estimates of fractions of a cent, so they keep significant digits.

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toPrecision(3))}M`;
  if (n >= 10_000) return `${Number((n / 1000).toPrecision(3))}k`;
  return String(Math.round(n));
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Number(seconds.toPrecision(3))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Number((seconds / 3600).toPrecision(2))} h`;
}

export function formatPercent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
