import { describe, expect, it } from 'vitest';
import { timeAgo, timeLeft } from './text.ts';

describe('timeLeft', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('counts down in minutes and seconds, urgent near the end', () => {
    expect(timeLeft('2026-01-01T12:14:05Z', now)).toEqual({ text: '14 min 05 s left', urgent: false, over: false });
    expect(timeLeft('2026-01-01T12:00:30Z', now)).toEqual({ text: '30 s left', urgent: true, over: false });
    expect(timeLeft('2026-01-02T13:30:00Z', now).text).toBe('25 h 30 min left');
  });
  it('says when time is up, and nothing for a bad date', () => {
    expect(timeLeft('2026-01-01T11:59:00Z', now).over).toBe(true);
    expect(timeLeft('soon', now).text).toBe('');
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('reads like a person would say it', () => {
    expect(timeAgo('2026-01-01T11:59:50Z', now)).toBe('just now');
    expect(timeAgo('2026-01-01T11:57:00Z', now)).toBe('3 min ago');
    expect(timeAgo('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
  });
});
