import { describe, expect, it } from 'vitest';
import { linkFromTraceparent, spanContextFromTraceparent, traceparentOf } from './links.ts';

const sc = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };

describe('traceparent links (approval: requested in one trace, decided in another)', () => {
  it('round-trips a span context through a stored traceparent into a link', () => {
    const stored = traceparentOf(sc);
    expect(stored).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(linkFromTraceparent(stored, { 'algorhythm.approval.id': 'a1' })).toEqual({
      context: { ...sc, isRemote: true },
      attributes: { 'algorhythm.approval.id': 'a1' },
    });
  });

  it('takes a span too, and stores nothing for an invalid (no-op) context', () => {
    const span = { spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) };
    expect(traceparentOf(span as never)).toBeUndefined();
  });

  it('rejects malformed or forbidden traceparents', () => {
    for (const bad of [undefined, null, '', 'junk', `ff-${sc.traceId}-${sc.spanId}-01`, `00-${'0'.repeat(32)}-${sc.spanId}-01`, `00-${sc.traceId}-${sc.spanId}-01-extra`]) {
      expect(spanContextFromTraceparent(bad)).toBeUndefined();
      expect(linkFromTraceparent(bad)).toBeUndefined();
    }
  });

  it('accepts future versions with extra fields, keeping only the sampled flag', () => {
    expect(spanContextFromTraceparent(`01-${sc.traceId}-${sc.spanId}-03-whatever`)?.traceFlags).toBe(1);
  });
});
