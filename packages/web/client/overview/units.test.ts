import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent, formatSeconds, formatUsd } from './units.ts';

describe('overview units', () => {
  it('writes small costs with two significant digits, large ones in cents', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.000123456)).toBe('$0.00012');
    expect(formatUsd(0.5)).toBe('$0.5');
    expect(formatUsd(12.345)).toBe('$12.35');
  });

  it('shortens large counts', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });

  it('writes waits in seconds, minutes or hours, and nothing as a dash', () => {
    expect(formatSeconds(null)).toBe('—');
    expect(formatSeconds(4.25)).toBe('4.25 s');
    expect(formatSeconds(600)).toBe('10 min');
    expect(formatSeconds(5400)).toBe('1.5 h');
  });

  it('writes shares as percentages', () => {
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(0)).toBe('0%');
  });
});
